using System.Diagnostics;
using System.Globalization;
using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using DurableTask.Core.Middleware;

namespace Serverless.Functions.LocalHost.Durable;

/// <summary>
/// For crash tests only: kills this process (SIGKILL, as <c>kill -9</c> would) at the N-th occurrence of a step
/// boundary, each set under <c>LocalHost:FaultInjection</c>:
/// <list type="bullet">
/// <item><c>KillBeforeActivity</c> / <c>KillAfterActivity</c>, as <c>{activity}#{n}</c>: just before a run of the
/// activity, or after it ran and before the durable worker stores its result.</item>
/// <item><c>KillAfterEvent</c>, as <c>{orchestration}#{n}</c>: an orchestration of that name has received its n-th
/// external event and decided what to do next, and nothing of that episode is stored yet.</item>
/// <item><c>KillBeforeTimer</c>: the orchestration has decided to create its n-th timer, not yet stored.</item>
/// <item><c>KillAfterTimer</c>: its n-th timer has fired and the orchestration ran on it, not yet stored.</item>
/// </list>
/// Counts start with the process, so a host started again without the setting runs on. <c>DelayActivity</c>, as
/// <c>{activity}@{seconds}</c>, holds every run of that activity that long before it runs instead (a tick that runs
/// long, say). Off unless set; refused outside the Development environment, and so is a setting it does not know.
/// </summary>
internal sealed class FaultInjection
{
    public const string SectionName = "LocalHost:FaultInjection";

    private static readonly string[] Settings = ["KillBeforeActivity", "KillAfterActivity", "KillAfterEvent", "KillBeforeTimer", "KillAfterTimer", "DelayActivity"];

    private readonly Fault? _beforeActivity;
    private readonly Fault? _afterActivity;
    private readonly Fault? _afterEvent;
    private readonly Fault? _beforeTimer;
    private readonly Fault? _afterTimer;
    private readonly (string Activity, TimeSpan Delay)? _delay;
    private readonly Action<string> _kill;

    /// <param name="settings">The section's settings by name; absent or empty ones are off.</param>
    /// <param name="development">Whether the host runs in the Development environment.</param>
    /// <param name="kill">Ends the process, told why; tests of the counting pass their own.</param>
    public FaultInjection(IReadOnlyDictionary<string, string?> settings, bool development, Action<string>? kill = null)
    {
        _kill = kill ?? KillThisProcess;
        var unknown = settings.Keys.Where(k => !Settings.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw new FormatException($"{SectionName} has no setting {string.Join(", ", unknown)}; it knows {string.Join(", ", Settings)}.");
        }

        string? Setting(string name) => settings.FirstOrDefault(s => string.Equals(s.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        _beforeActivity = Fault.Parse(Setting("KillBeforeActivity"), "KillBeforeActivity", "activity", "JournalStackSteps#3");
        _afterActivity = Fault.Parse(Setting("KillAfterActivity"), "KillAfterActivity", "activity", "JournalStackSteps#3");
        _afterEvent = Fault.Parse(Setting("KillAfterEvent"), "KillAfterEvent", "orchestration", "RegistrationOrchestrator#1");
        _beforeTimer = Fault.Parse(Setting("KillBeforeTimer"), "KillBeforeTimer", "orchestration", "RegistrationOrchestrator#1");
        _afterTimer = Fault.Parse(Setting("KillAfterTimer"), "KillAfterTimer", "orchestration", "RegistrationOrchestrator#1");
        _delay = ParseDelay(Setting("DelayActivity"));
        if (Enabled && !development)
        {
            throw new InvalidOperationException($"{SectionName} breaks the host on purpose and is for tests: it is refused outside the Development environment.");
        }
    }

    public bool Enabled => _beforeActivity is not null || _afterActivity is not null || OnOrchestrations || _delay is not null;

    /// <summary>Whether a fault waits at an orchestration's episodes, so <see cref="OrchestrationEpisodeAsync"/> is needed.</summary>
    public bool OnOrchestrations => _afterEvent is not null || _beforeTimer is not null || _afterTimer is not null;

    /// <summary>Waits before a run of the delayed activity; at once for any other.</summary>
    public Task DelayAsync(string name, CancellationToken cancellationToken) =>
        _delay is { } d && d.Activity == name ? Task.Delay(d.Delay, cancellationToken) : Task.CompletedTask;

    public void BeforeActivity(string name) => Count(_beforeActivity, name, 1);

    public void AfterActivity(string name) => Count(_afterActivity, name, 1);

    /// <summary>
    /// DTFx orchestration dispatcher middleware: runs the episode, then counts the events and fired timers it received
    /// and the timers it decided to create. A kill here comes before the dispatcher stores anything of the episode, so
    /// the next host receives its messages again.
    /// </summary>
    public async Task OrchestrationEpisodeAsync(DispatchMiddlewareContext context, Func<Task> next)
    {
        await next();
        var state = context.GetProperty<OrchestrationRuntimeState>();
        OrchestrationEpisode(
            state.Name,
            state.NewEvents.Count(e => e is EventRaisedEvent),
            state.NewEvents.Count(e => e is TimerFiredEvent),
            context.GetProperty<OrchestratorExecutionResult>()?.Actions.Count(a => a is CreateTimerOrchestratorAction) ?? 0);
    }

    /// <summary>Counts what one episode of <paramref name="orchestration"/> received and decided.</summary>
    public void OrchestrationEpisode(string orchestration, int eventsReceived, int timersFired, int timersCreated)
    {
        Count(_afterEvent, orchestration, eventsReceived);
        Count(_afterTimer, orchestration, timersFired);
        Count(_beforeTimer, orchestration, timersCreated);
    }

    private static void KillThisProcess(string reason)
    {
        Console.Error.WriteLine($"fault injection: killing the host at {reason}");
        Process.GetCurrentProcess().Kill();
    }

    private void Count(Fault? fault, string happened, int times)
    {
        if (fault is not null && fault.Reached(happened, times))
        {
            _kill(fault.ToString());
        }
    }

    private static (string, TimeSpan)? ParseDelay(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var parts = value.Split('@');
        return parts.Length == 2 && parts[0].Length > 0 && double.TryParse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? (parts[0], TimeSpan.FromSeconds(seconds))
            : throw new FormatException($"{SectionName}:DelayActivity must be {{activity}}@{{seconds}} with seconds > 0, for example EvaluatePoolPartition@5; it is '{value}'.");
    }

    /// <summary>A kill at the n-th time something named so happens.</summary>
    private sealed class Fault(string setting, string name, int occurrence)
    {
        private int _seen;

        public static Fault? Parse(string? value, string setting, string what, string example)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            var parts = value.Split('#');
            return parts.Length == 2 && parts[0].Length > 0 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
                ? new Fault(setting, parts[0], count)
                : throw new FormatException($"{SectionName}:{setting} must be {{{what}}}#{{n}} with n ≥ 1, for example {example}; it is '{value}'.");
        }

        /// <summary>Counts <paramref name="times"/> occurrences of <paramref name="happened"/>: true once, when they reach the fault's.</summary>
        public bool Reached(string happened, int times)
        {
            if (times <= 0 || happened != name)
            {
                return false;
            }

            var seen = Interlocked.Add(ref _seen, times);
            return seen >= occurrence && seen - times < occurrence;
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{setting} {name}#{occurrence}");
    }
}

using System.Diagnostics;
using System.Globalization;

namespace Serverless.Functions.LocalHost.Durable;

/// <summary>
/// For crash tests only: kills this process (SIGKILL, as <c>kill -9</c> would) at the N-th run of a named activity,
/// just before it runs (<c>LocalHost:FaultInjection:KillBeforeActivity</c>) or after it ran and before the durable worker
/// stores its result (<c>…:KillAfterActivity</c>), as <c>{activity}#{n}</c>. Counts start with the process, so a host
/// started again without the setting runs on. <c>…:DelayActivity</c>, as <c>{activity}@{seconds}</c>, holds every run
/// of that activity that long before it runs instead (a tick that runs long, say). Off unless set; refused outside the
/// Development environment.
/// </summary>
internal sealed class FaultInjection
{
    public const string SectionName = "LocalHost:FaultInjection";

    private readonly (string Activity, int Count)? _before;
    private readonly (string Activity, int Count)? _after;
    private readonly (string Activity, TimeSpan Delay)? _delay;
    private int _beforeSeen;
    private int _afterSeen;

    public FaultInjection(string? killBeforeActivity, string? killAfterActivity, string? delayActivity, bool development)
    {
        _before = Parse(killBeforeActivity, "KillBeforeActivity");
        _after = Parse(killAfterActivity, "KillAfterActivity");
        _delay = ParseDelay(delayActivity);
        if (Enabled && !development)
        {
            throw new InvalidOperationException($"{SectionName} breaks the host on purpose and is for tests: it is refused outside the Development environment.");
        }
    }

    public bool Enabled => _before is not null || _after is not null || _delay is not null;

    /// <summary>Waits before a run of the delayed activity; at once for any other.</summary>
    public Task DelayAsync(string name, CancellationToken cancellationToken) =>
        _delay is { } d && d.Activity == name ? Task.Delay(d.Delay, cancellationToken) : Task.CompletedTask;

    public void BeforeActivity(string name) => Check(_before, name, ref _beforeSeen);

    public void AfterActivity(string name) => Check(_after, name, ref _afterSeen);

    private static void Check((string Activity, int Count)? fault, string name, ref int seen)
    {
        if (fault is { } f && f.Activity == name && Interlocked.Increment(ref seen) == f.Count)
        {
            Console.Error.WriteLine($"fault injection: killing the host at run {f.Count} of {name}");
            Process.GetCurrentProcess().Kill();
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

    private static (string, int)? Parse(string? value, string setting)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var parts = value.Split('#');
        return parts.Length == 2 && parts[0].Length > 0 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? (parts[0], count)
            : throw new FormatException($"{SectionName}:{setting} must be {{activity}}#{{n}} with n ≥ 1, for example JournalStackSteps#3; it is '{value}'.");
    }
}

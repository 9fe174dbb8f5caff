using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Serverless.Functions.Tests;

/// <summary>
/// An orchestration context for unit tests, after durabletask-dotnet's own orchestrator tests: activities and
/// sub-orchestrations are answered by handlers the test sets, every call is recorded in order, timers fire at once and
/// move the clock to their time, and external events are raised by the test (or by a handler, as an agent answering
/// while the orchestration waits would).
/// </summary>
public sealed class FakeOrchestrationContext(string instanceId, object? input, DateTime start) : TaskOrchestrationContext
{
    private readonly Dictionary<string, TaskCompletionSource<object?>> _events = new(StringComparer.Ordinal);
    private DateTime _now = start;

    /// <summary>Answers per activity name; an activity without one fails the test.</summary>
    public Dictionary<string, Func<object?, Task<object?>>> Activities { get; } = new(StringComparer.Ordinal);

    /// <summary>Answers per sub-orchestration name, given the input and the instance id it is started under.</summary>
    public Dictionary<string, Func<object?, string?, Task<object?>>> SubOrchestrations { get; } = new(StringComparer.Ordinal);

    /// <summary>Every activity and sub-orchestration call, in the order the orchestration made them.</summary>
    public List<(string Name, object? Input)> Calls { get; } = [];

    public List<DateTime> Timers { get; } = [];

    public object? CustomStatus { get; private set; }

    public override TaskName Name => "test";

    public override string InstanceId => instanceId;

    /// <summary>The orchestration that started this one as a child; none unless the test says.</summary>
    public ParentOrchestrationInstance? ParentInstance { get; set; }

    public override ParentOrchestrationInstance? Parent => ParentInstance;

    public override DateTime CurrentUtcDateTime => _now;

    public override bool IsReplaying => false;

    protected override ILoggerFactory LoggerFactory => NullLoggerFactory.Instance;

    public void Raise(string eventName, object? value) => Event(eventName).TrySetResult(value);

    public override async Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        Calls.Add((name.Name, input));
        var handler = Activities.TryGetValue(name.Name, out var found) ? found : throw new InvalidOperationException($"The test gave no answer for activity {name.Name}.");
        return (TResult)(await handler(input))!;
    }

    public override async Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
    {
        Calls.Add((orchestratorName.Name, input));
        var handler = SubOrchestrations.TryGetValue(orchestratorName.Name, out var found)
            ? found
            : throw new InvalidOperationException($"The test gave no answer for sub-orchestration {orchestratorName.Name}.");
        return (TResult)(await handler(input, (options as SubOrchestrationOptions)?.InstanceId))!;
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        Timers.Add(fireAt);
        if (fireAt > _now)
        {
            _now = fireAt;
        }

        return Task.CompletedTask;
    }

    /// <remarks>Continuations run at once, as in a real orchestration's single thread: an event raised is seen by the next await.</remarks>
    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        var wait = new TaskCompletionSource<T>();
        cancellationToken.Register(() => wait.TrySetCanceled(cancellationToken));
        Event(eventName).Task.ContinueWith(t => wait.TrySetResult((T)t.Result!), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return wait.Task;
    }

    public override T GetInput<T>() => (T)input!;

    public override void SetCustomStatus(object? customStatus) => CustomStatus = customStatus;

    public override Guid NewGuid() => Guid.NewGuid();

    public override void SendEvent(string instanceId, string eventName, object payload) => throw new NotSupportedException();

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) => throw new NotSupportedException();

    private TaskCompletionSource<object?> Event(string eventName)
    {
        if (!_events.TryGetValue(eventName, out var source))
        {
            source = new TaskCompletionSource<object?>();
            _events[eventName] = source;
        }

        return source;
    }
}

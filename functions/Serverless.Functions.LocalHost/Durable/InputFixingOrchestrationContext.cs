using Microsoft.DurableTask;

namespace Serverless.Functions.LocalHost.Durable;

/// <summary>
/// Passes everything through to the real orchestration context except <see cref="GetInput{T}"/>. A reflected orchestrator
/// cannot know the input type ahead of time, so the shim hands it a JSON element; here it is converted on demand to the
/// type the orchestrator asks for, as the Functions worker does.
/// </summary>
internal sealed class InputFixingOrchestrationContext(TaskOrchestrationContext inner, object? input, DataConverter converter) : TaskOrchestrationContext
{
    public override TaskName Name => inner.Name;

    public override string InstanceId => inner.InstanceId;

    public override ParentOrchestrationInstance? Parent => inner.Parent;

    public override DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;

    public override bool IsReplaying => inner.IsReplaying;

    public override IReadOnlyDictionary<string, object?> Properties => inner.Properties;

    protected override ILoggerFactory LoggerFactory => ReplaySafeLoggerFactory;

    public override T GetInput<T>() => input switch
    {
        null => default!,
        T typed => typed,
        _ => converter.Deserialize<T>(converter.Serialize(input))!,
    };

    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null) =>
        inner.CallActivityAsync<TResult>(name, input, options);

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => inner.CreateTimer(fireAt, cancellationToken);

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) =>
        inner.WaitForExternalEvent<T>(eventName, cancellationToken);

    public override void SendEvent(string instanceId, string eventName, object payload) => inner.SendEvent(instanceId, eventName, payload);

    public override void SetCustomStatus(object? customStatus) => inner.SetCustomStatus(customStatus);

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
        inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input, options);

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) => inner.ContinueAsNew(newInput, preserveUnprocessedEvents);

    public override Guid NewGuid() => inner.NewGuid();
}

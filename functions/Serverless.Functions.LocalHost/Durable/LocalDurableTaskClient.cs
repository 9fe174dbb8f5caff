using System.Diagnostics;
using System.Text.Json;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using DurableTask.Core.Tracing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using CoreFailureDetails = DurableTask.Core.FailureDetails;
using CorePurgeFilter = DurableTask.Core.PurgeInstanceFilter;
using CoreQuery = DurableTask.Core.Query.OrchestrationQuery;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace Serverless.Functions.LocalHost.Durable;

/// <summary>
/// The <see cref="DurableTaskClient"/> that <c>[DurableClient]</c> parameters receive under the local host: the portable
/// client API implemented over DurableTask.Core's client interfaces of the same backend the worker runs on.
/// </summary>
internal sealed class LocalDurableTaskClient : DurableTaskClient
{
    // A new instance may reuse the id of a finished one, but not of one that is still going.
    private static readonly OrchestrationStatus[] DedupeStatuses =
        [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Suspended, OrchestrationStatus.ContinuedAsNew];

    private static readonly TimeSpan WaitPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly IOrchestrationServiceClient _client;
    private readonly DataConverter _converter;

    public LocalDurableTaskClient(IOrchestrationServiceClient client, DataConverter converter)
        : base("local")
    {
        _client = client;
        _converter = converter;
    }

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        var instance = new OrchestrationInstance
        {
            InstanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N"),
            ExecutionId = Guid.NewGuid().ToString("N"),
        };
        var started = new ExecutionStartedEvent(-1, _converter.Serialize(input))
        {
            Name = orchestratorName.Name,
            Version = options?.Version?.Version ?? string.Empty,
            OrchestrationInstance = instance,
            ScheduledStartTime = options?.StartAt?.UtcDateTime,
            Tags = options?.Tags?.ToDictionary(StringComparer.Ordinal),
        };

        // DTFx's tracing: the orchestration's span continues the caller's trace (an HTTP request) from the context kept in
        // its started event, as the Functions host's durable extension does with distributed tracing V2.
        using var activity = LocalHostTelemetry.Source.StartActivity($"create_orchestration:{orchestratorName.Name}", ActivityKind.Producer);
        activity?.SetTag("durabletask.type", "orchestration");
        activity?.SetTag("durabletask.task.name", orchestratorName.Name);
        activity?.SetTag("durabletask.task.instance_id", instance.InstanceId);
        started.ParentTraceContext = TraceContextOf(activity);
        await _client.CreateTaskOrchestrationAsync(new TaskMessage { OrchestrationInstance = instance, Event = started }, DedupeStatuses)
            .WaitAsync(cancellation);
        return instance.InstanceId;
    }

    public override async Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        var raised = new EventRaisedEvent(-1, _converter.Serialize(eventPayload)) { Name = eventName };
        using var activity = LocalHostTelemetry.Source.StartActivity($"orchestration_event:{eventName}", ActivityKind.Producer);
        activity?.SetTag("durabletask.type", "event");
        activity?.SetTag("durabletask.event.target_instance_id", instanceId);
        raised.ParentTraceContext = TraceContextOf(activity);
        await SendAsync(instanceId, raised, cancellation);
    }

    private static DistributedTraceContext? TraceContextOf(Activity? activity) =>
        (activity ?? Activity.Current) is { IdFormat: ActivityIdFormat.W3C, Id: { } id } context ? new DistributedTraceContext(id, context.TraceStateString) : null;

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        _client.ForceTerminateTaskOrchestrationAsync(instanceId, _converter.Serialize(options?.Output)).WaitAsync(cancellation);

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason), cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionResumedEvent(-1, reason), cancellation);

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        var states = await _client.GetOrchestrationStateAsync(instanceId, allExecutions: false).WaitAsync(cancellation);
        var state = states?.FirstOrDefault(s => s is not null);
        return state is null ? null : ToMetadata(state, getInputsAndOutputs);
    }

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        PollAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        PollAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellation);

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(Microsoft.DurableTask.Client.OrchestrationQuery? filter = null)
    {
        var queryClient = _client as IOrchestrationServiceQueryClient
            ?? throw new NotSupportedException("The durable backend does not support instance queries.");
        return Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            var query = new CoreQuery
            {
                RuntimeStatus = filter?.Statuses?.Select(ToCore).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                TaskHubNames = filter?.TaskHubNames?.ToList(),
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                PageSize = pageSize ?? filter?.PageSize ?? Microsoft.DurableTask.Client.OrchestrationQuery.DefaultPageSize,
                ContinuationToken = continuation ?? filter?.ContinuationToken,
                FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
            };
            var result = await queryClient.GetOrchestrationWithQueryAsync(query, cancellation);
            var items = result.OrchestrationState.Select(s => ToMetadata(s, query.FetchInputsAndOutputs)).ToList();
            return new Page<OrchestrationMetadata>(items, result.ContinuationToken);
        });
    }

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        var result = await PurgeClient.PurgeInstanceStateAsync(instanceId).WaitAsync(cancellation);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var coreFilter = new CorePurgeFilter(
            filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue,
            filter.CreatedTo?.UtcDateTime,
            filter.Statuses?.Select(ToCore).ToList());
        var result = await PurgeClient.PurgeInstanceStateAsync(coreFilter).WaitAsync(cancellation);
        return new PurgeResult(result.DeletedInstanceCount, result.IsComplete);
    }

    // The backend is owned by the host, not by this client.
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private IOrchestrationServicePurgeClient PurgeClient =>
        _client as IOrchestrationServicePurgeClient ?? throw new NotSupportedException("The durable backend does not support purging.");

    private Task SendAsync(string instanceId, HistoryEvent historyEvent, CancellationToken cancellation) =>
        _client.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = historyEvent,
        }).WaitAsync(cancellation);

    private async Task<OrchestrationMetadata> PollAsync(
        string instanceId, bool getInputsAndOutputs, Func<OrchestrationMetadata, bool> done, CancellationToken cancellation)
    {
        // Polling the instance table directly reacts within one interval; the backend's own wait polls every 2 s.
        while (true)
        {
            var metadata = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);
            if (metadata is not null && done(metadata))
            {
                return metadata;
            }

            await Task.Delay(WaitPollInterval, cancellation);
        }
    }

    private OrchestrationMetadata ToMetadata(OrchestrationState state, bool includePayloads) =>
        new(state.Name, state.OrchestrationInstance.InstanceId)
        {
            DataConverter = _converter,
            RuntimeStatus = ToClient(state.OrchestrationStatus),
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
            LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
            SerializedInput = includePayloads ? state.Input : null,
            SerializedOutput = includePayloads ? state.Output : null,
            SerializedCustomStatus = state.Status,
            FailureDetails = ToClient(state.FailureDetails) ?? FailureFromOutput(state),
            Tags = state.Tags is null ? new Dictionary<string, string>() : new Dictionary<string, string>(state.Tags),
        };

    private static TaskFailureDetails? ToClient(CoreFailureDetails? failure) =>
        failure is null
            ? null
            : new TaskFailureDetails(failure.ErrorType, failure.ErrorMessage, failure.StackTrace, ToClient(failure.InnerFailure), failure.Properties);

    /// <summary>
    /// The Azure Storage backend keeps a failed orchestration's failure details in its output column rather than in
    /// <see cref="OrchestrationState.FailureDetails"/>; read them from there, as the Functions host does.
    /// </summary>
    private static TaskFailureDetails? FailureFromOutput(OrchestrationState state)
    {
        if (state.OrchestrationStatus != OrchestrationStatus.Failed || string.IsNullOrEmpty(state.Output))
        {
            return null;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<StoredFailure>(state.Output, StoredFailure.Options);
            if (stored is { ErrorMessage: not null })
            {
                return new TaskFailureDetails(stored.ErrorType ?? "Exception", stored.ErrorMessage, stored.StackTrace, null, null);
            }
        }
        catch (JsonException)
        {
            // Not JSON: the backend wrote FailureDetails.ToString(), "{ErrorType}: {ErrorMessage}".
        }

        var separator = state.Output.IndexOf(": ", StringComparison.Ordinal);
        return separator > 0 && !state.Output[..separator].Contains(' ', StringComparison.Ordinal)
            ? new TaskFailureDetails(state.Output[..separator], state.Output[(separator + 2)..], null, null, null)
            : new TaskFailureDetails("Exception", state.Output, null, null, null);
    }

    private sealed record StoredFailure(string? ErrorType, string? ErrorMessage, string? StackTrace)
    {
        public static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };
    }

    // The two enums share names and values; converting by name keeps that assumption checked.
    private static OrchestrationRuntimeStatus ToClient(OrchestrationStatus status) => Enum.Parse<OrchestrationRuntimeStatus>(status.ToString());

    private static OrchestrationStatus ToCore(OrchestrationRuntimeStatus status) => Enum.Parse<OrchestrationStatus>(status.ToString());
}

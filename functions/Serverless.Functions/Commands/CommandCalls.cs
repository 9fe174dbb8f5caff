using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.DurableTask;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;

namespace Serverless.Functions.Commands;

/// <summary>
/// For orchestrators: send a command to an agent group and wait for its result; the wait ends at the deadline with a
/// <see cref="CommandStatus.TimedOut"/> result that says who did not answer, never a hang. The command id is derived
/// from the orchestration instance and the caller's step name, not from time: if the host dies after sending but
/// before its progress is saved, the re-executed step sends the same command again, which the queue's duplicate
/// detection and the agent's ledger absorb. Each step of one orchestration needs its own name. A command that cannot be
/// sent at all, after the send activity's retries, ends as a failed result with no agent id.
/// </summary>
public static class CommandCalls
{
    private static readonly TimeSpan ResultCheckInterval = TimeSpan.FromSeconds(5);

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5,
        firstRetryInterval: TimeSpan.FromSeconds(1),
        backoffCoefficient: 2.0,
        maxRetryInterval: TimeSpan.FromSeconds(15)));

    public static Task<CommandResult> SendAndWaitAsync(
        TaskOrchestrationContext context, string step, string tenantId, string agentGroup, string kind, JsonElement payload, int timeoutSeconds, TraceContext? trace) =>
        RunAsync(context, RequestOf(context, step, tenantId, agentGroup, kind, payload, timeoutSeconds, trace), sentAhead: false);

    /// <summary>
    /// Like <see cref="SendAndWaitAsync"/> for a command the orchestration's starter already sent with <see cref="Request"/>:
    /// waits for its result without an activity first, saving an episode and an activity on the way to the answer.
    /// If the first slice passes without an answer, the command is sent (again) then: the starter may have died before
    /// sending it, and a second send of a sent command is absorbed.
    /// </summary>
    public static Task<CommandResult> WaitForSentAheadAsync(
        TaskOrchestrationContext context, string step, string tenantId, string agentGroup, string kind, JsonElement payload, int timeoutSeconds, TraceContext? trace) =>
        RunAsync(context, RequestOf(context, step, tenantId, agentGroup, kind, payload, timeoutSeconds, trace), sentAhead: true);

    private static CommandRequest RequestOf(
        TaskOrchestrationContext context, string step, string tenantId, string agentGroup, string kind, JsonElement payload, int timeoutSeconds, TraceContext? trace) =>
        Request(context.InstanceId, step, new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero), tenantId, agentGroup, kind, payload, timeoutSeconds, trace)
            with { ParentInstanceId = context.Parent?.InstanceId };

    private static async Task<CommandResult> RunAsync(TaskOrchestrationContext context, CommandRequest request, bool sentAhead)
    {
        // Listen before sending: an agent may answer before the send activity's completion is replayed.
        var result = context.WaitForExternalEvent<CommandResult>(request.Correlation.EventName!);
        if (!sentAhead && await SendAsync(context, request) is { } answered)
        {
            return answered;
        }

        // Wait for the result's event in slices, reading the recorded result between them: an event raised while the
        // host had lost this orchestration's progress can be gone, but the result is stored before it is acknowledged.
        var deadline = request.IssuedAt.AddSeconds(request.TimeoutSeconds).UtcDateTime;
        while (true)
        {
            var sliceEnd = context.CurrentUtcDateTime + ResultCheckInterval < deadline ? context.CurrentUtcDateTime + ResultCheckInterval : deadline;
            using (var timerCancellation = new CancellationTokenSource())
            {
                var slice = context.CreateTimer(sliceEnd, timerCancellation.Token);
                if (await Task.WhenAny(result, slice) == result)
                {
                    // Cancel synchronously: an uncancelled timer keeps the orchestration open until it fires.
                    timerCancellation.Cancel();
                    return await result;
                }
            }

            var recorded = sentAhead
                ? await SendAsync(context, request)
                : await context.CallActivityAsync<CommandResult?>(FunctionNames.GetCommandResult, new CommandResultQuery(request.TenantId, request.CommandId), Retry);
            if (recorded is not null)
            {
                return recorded;
            }

            sentAhead = false;

            if (sliceEnd >= deadline)
            {
                break;
            }
        }

        return new CommandResult(
            SchemaVersions.Current,
            request.CommandId,
            request.TenantId,
            request.AgentGroup,
            string.Empty,
            request.Kind,
            CommandStatus.TimedOut,
            null,
            new CommandError(CommandErrorKind.Timeout, $"No agent of group '{request.AgentGroup}' answered {request.Kind} within {request.TimeoutSeconds} s."),
            new CommandTimings(request.IssuedAt, request.IssuedAt, new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero)),
            request.Correlation,
            request.Trace);
    }

    /// <summary>
    /// Sends through the send activity: null once the command went out; the recorded result when the agent had already
    /// answered; a failed result when it could not be sent after the activity's retries.
    /// </summary>
    private static async Task<CommandResult?> SendAsync(TaskOrchestrationContext context, CommandRequest request)
    {
        try
        {
            return await context.CallActivityAsync<CommandResult?>(FunctionNames.SendCommand, request, Retry);
        }
        catch (TaskFailedException exception)
        {
            var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
            return new CommandResult(
                SchemaVersions.Current, request.CommandId, request.TenantId, request.AgentGroup, string.Empty, request.Kind, CommandStatus.Failed, null,
                new CommandError(CommandErrorKind.Internal, $"the {request.Kind} command could not be sent: {exception.FailureDetails.ErrorMessage}"),
                new CommandTimings(request.IssuedAt, now, now), request.Correlation, request.Trace);
        }
    }

    /// <summary>
    /// The request an orchestration's step sends: the same for the orchestration and for a caller that sends it ahead
    /// of the orchestration (see <see cref="Registration.RegistrationStart"/>), so the two sends are one command.
    /// </summary>
    public static CommandRequest Request(
        string instanceId, string step, DateTimeOffset issuedAt, string tenantId, string agentGroup, string kind, JsonElement payload, int timeoutSeconds, TraceContext? trace)
    {
        var commandId = CommandId(instanceId, step);
        return new CommandRequest(
            commandId, tenantId, agentGroup, kind, payload, issuedAt, timeoutSeconds, new CommandCorrelation(instanceId, CommandRequest.ResultEventName(commandId)), trace);
    }

    /// <summary>32 hex characters of SHA-256 over the instance id and step: stable across replays and re-executions.</summary>
    public static string CommandId(string instanceId, string step) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{instanceId}/{step}")))[..32];
}

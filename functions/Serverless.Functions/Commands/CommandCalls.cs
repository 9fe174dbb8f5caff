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

    public static async Task<CommandResult> SendAndWaitAsync(
        TaskOrchestrationContext context,
        string step,
        string tenantId,
        string agentGroup,
        string kind,
        JsonElement payload,
        int timeoutSeconds,
        TraceContext? trace)
    {
        var commandId = CommandId(context.InstanceId, step);
        var eventName = CommandRequest.ResultEventName(commandId);
        var issuedAt = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        var request = new CommandRequest(commandId, tenantId, agentGroup, kind, payload, issuedAt, timeoutSeconds, new CommandCorrelation(context.InstanceId, eventName), trace);

        // Listen before sending: an agent may answer before the send activity's completion is replayed.
        var result = context.WaitForExternalEvent<CommandResult>(eventName);
        CommandResult? recorded;
        try
        {
            recorded = await context.CallActivityAsync<CommandResult?>(FunctionNames.SendCommand, request, Retry);
        }
        catch (TaskFailedException exception)
        {
            var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
            return new CommandResult(
                SchemaVersions.Current, commandId, tenantId, agentGroup, string.Empty, kind, CommandStatus.Failed, null,
                new CommandError(CommandErrorKind.Internal, $"the {kind} command could not be sent: {exception.FailureDetails.ErrorMessage}"),
                new CommandTimings(issuedAt, now, now), request.Correlation, trace);
        }

        if (recorded is not null)
        {
            return recorded;
        }

        // Wait for the result's event in slices, reading the recorded result between them: an event raised while the
        // host had lost this orchestration's progress can be gone, but the result is stored before it is acknowledged.
        var deadline = issuedAt.AddSeconds(timeoutSeconds).UtcDateTime;
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

            recorded = await context.CallActivityAsync<CommandResult?>(FunctionNames.GetCommandResult, new CommandResultQuery(tenantId, commandId), Retry);
            if (recorded is not null)
            {
                return recorded;
            }

            if (sliceEnd >= deadline)
            {
                break;
            }
        }

        return new CommandResult(
            SchemaVersions.Current,
            commandId,
            tenantId,
            agentGroup,
            string.Empty,
            kind,
            CommandStatus.TimedOut,
            null,
            new CommandError(CommandErrorKind.Timeout, $"No agent of group '{agentGroup}' answered {kind} within {timeoutSeconds} s."),
            new CommandTimings(issuedAt, issuedAt, new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero)),
            request.Correlation,
            trace);
    }

    /// <summary>32 hex characters of SHA-256 over the instance id and step: stable across replays and re-executions.</summary>
    public static string CommandId(string instanceId, string step) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{instanceId}/{step}")))[..32];
}

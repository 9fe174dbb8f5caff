using System.Text.Json;
using Microsoft.DurableTask;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;

namespace Serverless.Functions.Commands;

/// <summary>
/// For orchestrators: send a command to an agent group and wait for its result. Deterministic (the command id comes from
/// the orchestration's replay-safe GUID; the trace context comes from the orchestration's input); the wait ends at the deadline with a <see cref="CommandStatus.TimedOut"/>
/// result that says who did not answer, never a hang.
/// </summary>
public static class CommandCalls
{
    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5,
        firstRetryInterval: TimeSpan.FromSeconds(1),
        backoffCoefficient: 2.0,
        maxRetryInterval: TimeSpan.FromSeconds(15)));

    public static async Task<CommandResult> SendAndWaitAsync(
        TaskOrchestrationContext context,
        string tenantId,
        string agentGroup,
        string kind,
        JsonElement payload,
        int timeoutSeconds,
        TraceContext? trace)
    {
        var commandId = context.NewGuid().ToString("N");
        var eventName = CommandRequest.ResultEventName(commandId);
        var issuedAt = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        var request = new CommandRequest(commandId, tenantId, agentGroup, kind, payload, issuedAt, timeoutSeconds, new CommandCorrelation(context.InstanceId, eventName), trace);

        // Listen before sending: an agent may answer before the send activity's completion is replayed.
        using var timerCancellation = new CancellationTokenSource();
        var result = context.WaitForExternalEvent<CommandResult>(eventName);
        var deadline = context.CreateTimer(issuedAt.AddSeconds(timeoutSeconds).UtcDateTime, timerCancellation.Token);
        await context.CallActivityAsync<DateTimeOffset>(FunctionNames.SendCommand, request, Retry);
        if (await Task.WhenAny(result, deadline) == result)
        {
            // Cancel synchronously: an uncancelled timer keeps the orchestration open until the deadline.
            timerCancellation.Cancel();
            return await result;
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
}

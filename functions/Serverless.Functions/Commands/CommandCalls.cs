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

    /// <summary>A send of some requests, or a read of their recorded results: one answer per request, null for none yet.</summary>
    private delegate Task<IReadOnlyList<CommandResult?>> Exchange(TaskOrchestrationContext context, IReadOnlyList<CommandRequest> requests);

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5,
        firstRetryInterval: TimeSpan.FromSeconds(1),
        backoffCoefficient: 2.0,
        maxRetryInterval: TimeSpan.FromSeconds(15)));

    public static async Task<CommandResult> SendAndWaitAsync(
        TaskOrchestrationContext context, string step, string tenantId, string agentGroup, string kind, JsonElement payload, int timeoutSeconds, TraceContext? trace) =>
        (await RunAsync(context, [RequestOf(context, step, tenantId, agentGroup, kind, payload, timeoutSeconds, trace)], sentAhead: false, SendOneAsync, LookUpOneAsync))[0];

    /// <summary>
    /// Like <see cref="SendAndWaitAsync"/> for a command the orchestration's starter already sent with <see cref="Request"/>:
    /// waits for its result without an activity first, saving an episode and an activity on the way to the answer.
    /// If the first slice passes without an answer, the command is sent (again) then: the starter may have died before
    /// sending it, and a second send of a sent command is absorbed.
    /// </summary>
    public static async Task<CommandResult> WaitForSentAheadAsync(
        TaskOrchestrationContext context, string step, string tenantId, string agentGroup, string kind, JsonElement payload, int timeoutSeconds, TraceContext? trace) =>
        (await RunAsync(context, [RequestOf(context, step, tenantId, agentGroup, kind, payload, timeoutSeconds, trace)], sentAhead: true, SendOneAsync, LookUpOneAsync))[0];

    /// <summary>
    /// Many commands at once, for a step that acts on many items: one activity sends them all, the wait takes their
    /// results as they come, and one activity reads the recorded results of those still open between slices. Each call
    /// ends at its own deadline; the results are in the order of the calls.
    /// </summary>
    public static Task<IReadOnlyList<CommandResult>> SendAndWaitAllAsync(TaskOrchestrationContext context, string tenantId, IReadOnlyList<CommandCall> calls, TraceContext? trace) =>
        calls.Count == 0
            ? Task.FromResult<IReadOnlyList<CommandResult>>([])
            : RunAsync(context, [.. calls.Select(c => RequestOf(context, c.Step, tenantId, c.AgentGroup, c.Kind, c.Payload, c.TimeoutSeconds, trace))], sentAhead: false, SendManyAsync, LookUpManyAsync);

    private static CommandRequest RequestOf(
        TaskOrchestrationContext context, string step, string tenantId, string agentGroup, string kind, JsonElement payload, int timeoutSeconds, TraceContext? trace) =>
        Request(context.InstanceId, step, new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero), tenantId, agentGroup, kind, payload, timeoutSeconds, trace)
            with { ParentInstanceId = context.Parent?.InstanceId };

    private static async Task<IReadOnlyList<CommandResult>> RunAsync(
        TaskOrchestrationContext context, IReadOnlyList<CommandRequest> requests, bool sentAhead, Exchange send, Exchange lookUp)
    {
        // Listen before sending: an agent may answer before the send activity's completion is replayed.
        var events = requests.Select(r => context.WaitForExternalEvent<CommandResult>(r.Correlation.EventName!)).ToArray();
        var answers = new CommandResult?[requests.Count];
        if (!sentAhead)
        {
            Take(answers, Enumerable.Range(0, requests.Count).ToList(), await send(context, requests));
        }

        // Wait for the results' events in slices, reading the recorded results between them: an event raised while the
        // host had lost this orchestration's progress can be gone, but a result is stored before it is acknowledged.
        while (true)
        {
            for (var i = 0; i < answers.Length; i++)
            {
                answers[i] ??= events[i].IsCompletedSuccessfully ? events[i].Result : null;
            }

            var open = Enumerable.Range(0, answers.Length).Where(i => answers[i] is null).ToList();
            if (open.Count == 0)
            {
                return answers!;
            }

            var deadline = open.Min(i => DeadlineOf(requests[i]));
            var sliceEnd = context.CurrentUtcDateTime + ResultCheckInterval < deadline ? context.CurrentUtcDateTime + ResultCheckInterval : deadline;
            using (var timerCancellation = new CancellationTokenSource())
            {
                var slice = context.CreateTimer(sliceEnd, timerCancellation.Token);
                var answered = Task.WhenAll(open.Select(i => events[i]));
                if (await Task.WhenAny(answered, slice) == answered)
                {
                    // Cancel synchronously: an uncancelled timer keeps the orchestration open until it fires.
                    timerCancellation.Cancel();
                    continue;
                }
            }

            open = [.. open.Where(i => !events[i].IsCompletedSuccessfully)];
            Take(answers, open, await (sentAhead ? send : lookUp)(context, [.. open.Select(i => requests[i])]));
            sentAhead = false;
            foreach (var i in open.Where(i => answers[i] is null && sliceEnd >= DeadlineOf(requests[i])))
            {
                answers[i] = TimedOut(context, requests[i]);
            }
        }
    }

    private static DateTime DeadlineOf(CommandRequest request) => request.IssuedAt.AddSeconds(request.TimeoutSeconds).UtcDateTime;

    private static void Take(CommandResult?[] answers, IReadOnlyList<int> asked, IReadOnlyList<CommandResult?> results)
    {
        for (var k = 0; k < asked.Count; k++)
        {
            answers[asked[k]] ??= results[k];
        }
    }

    private static CommandResult TimedOut(TaskOrchestrationContext context, CommandRequest request) => new(
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

    /// <summary>
    /// Sends through the send activity: null once the command went out; the recorded result when the agent had already
    /// answered; a failed result when it could not be sent after the activity's retries.
    /// </summary>
    private static async Task<IReadOnlyList<CommandResult?>> SendOneAsync(TaskOrchestrationContext context, IReadOnlyList<CommandRequest> requests)
    {
        try
        {
            return [await context.CallActivityAsync<CommandResult?>(FunctionNames.SendCommand, requests[0], Retry)];
        }
        catch (TaskFailedException exception)
        {
            return [NotSent(context, requests[0], exception)];
        }
    }

    /// <summary>Sends many through one activity, with the same answers as <see cref="SendOneAsync"/> for each.</summary>
    private static async Task<IReadOnlyList<CommandResult?>> SendManyAsync(TaskOrchestrationContext context, IReadOnlyList<CommandRequest> requests)
    {
        try
        {
            return await context.CallActivityAsync<IReadOnlyList<CommandResult?>>(FunctionNames.SendCommands, requests, Retry);
        }
        catch (TaskFailedException exception)
        {
            return [.. requests.Select(r => NotSent(context, r, exception))];
        }
    }

    private static async Task<IReadOnlyList<CommandResult?>> LookUpOneAsync(TaskOrchestrationContext context, IReadOnlyList<CommandRequest> requests) =>
        [await context.CallActivityAsync<CommandResult?>(FunctionNames.GetCommandResult, new CommandResultQuery(requests[0].TenantId, requests[0].CommandId), Retry)];

    private static Task<IReadOnlyList<CommandResult?>> LookUpManyAsync(TaskOrchestrationContext context, IReadOnlyList<CommandRequest> requests) =>
        context.CallActivityAsync<IReadOnlyList<CommandResult?>>(
            FunctionNames.GetCommandResults, requests.Select(r => new CommandResultQuery(r.TenantId, r.CommandId)).ToList(), Retry);

    private static CommandResult NotSent(TaskOrchestrationContext context, CommandRequest request, TaskFailedException exception)
    {
        var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        return new CommandResult(
            SchemaVersions.Current, request.CommandId, request.TenantId, request.AgentGroup, string.Empty, request.Kind, CommandStatus.Failed, null,
            new CommandError(CommandErrorKind.Internal, $"the {request.Kind} command could not be sent: {exception.FailureDetails.ErrorMessage}"),
            new CommandTimings(request.IssuedAt, now, now), request.Correlation, request.Trace);
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

/// <summary>One command of a <see cref="CommandCalls.SendAndWaitAllAsync"/>: its step name (unique in the orchestration), where it goes, what it does.</summary>
public sealed record CommandCall(string Step, string AgentGroup, string Kind, JsonElement Payload, int TimeoutSeconds);

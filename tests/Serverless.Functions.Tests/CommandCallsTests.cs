using System.Text.Json;
using Microsoft.DurableTask;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;
using Serverless.Functions.Commands;

namespace Serverless.Functions.Tests;

/// <summary>
/// The send-and-wait logic every workflow step uses (<see cref="CommandCalls"/>), against a fake orchestration context:
/// a result the agent had already recorded, the result event, a result found between wait slices, the timeout result,
/// a send that fails, and the sent-ahead path. A bug here shows end to end only as a 60 s timeout.
/// </summary>
public sealed class CommandCallsTests
{
    private const string Instance = "default.0123456789abcdef0123456789abcdef";
    private static readonly DateTime Start = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);
    private static readonly JsonElement Payload = JsonDocument.Parse("{}").RootElement;

    [Fact]
    public async Task ResultAlreadyRecorded_WhenSending_IsTheAnswer_WithoutWaiting()
    {
        var context = Context();
        var recorded = Result(CommandStatus.Succeeded);
        context.Activities[FunctionNames.SendCommand] = _ => Task.FromResult<object?>(recorded);

        var result = await Send(context, timeoutSeconds: 30);

        Assert.Same(recorded, result);
        Assert.Equal([FunctionNames.SendCommand], context.Calls.Select(c => c.Name));
        Assert.Empty(context.Timers);
    }

    [Fact]
    public async Task AChildOrchestrationsCommand_NamesItsParent_ForTheCommandLog()
    {
        var requests = new List<CommandRequest>();
        foreach (var parent in new[] { null, new ParentOrchestrationInstance("StackOrchestrator", "default.stack") })
        {
            var context = Context();
            context.ParentInstance = parent;
            context.Activities[FunctionNames.SendCommand] = input =>
            {
                requests.Add((CommandRequest)input!);
                return Task.FromResult<object?>(Result(CommandStatus.Succeeded));
            };

            await Send(context, timeoutSeconds: 30);
        }

        Assert.Equal([null, "default.stack"], requests.Select(r => r.ParentInstanceId));
        Assert.Equal(requests[0].CommandId, requests[1].CommandId);
    }

    [Fact]
    public async Task ResultEvent_EndsTheWait_AfterOneSend()
    {
        var context = Context();
        var answer = Result(CommandStatus.Succeeded);
        context.Activities[FunctionNames.SendCommand] = input =>
        {
            // The agent answers as soon as the command is out.
            context.Raise(((CommandRequest)input!).Correlation.EventName!, answer);
            return Task.FromResult<object?>(null);
        };

        var result = await Send(context, timeoutSeconds: 30);

        Assert.Same(answer, result);
        Assert.Equal([FunctionNames.SendCommand], context.Calls.Select(c => c.Name));
    }

    [Fact]
    public async Task EventLost_TheRecordedResult_IsFoundBetweenSlices()
    {
        var context = Context();
        var answer = Result(CommandStatus.Failed);
        var checks = 0;
        context.Activities[FunctionNames.SendCommand] = _ => Task.FromResult<object?>(null);
        context.Activities[FunctionNames.GetCommandResult] = _ => Task.FromResult<object?>(++checks == 3 ? answer : null);

        var result = await Send(context, timeoutSeconds: 60);

        Assert.Same(answer, result);
        Assert.Equal(3, checks);
        Assert.Equal([Start.AddSeconds(5), Start.AddSeconds(10), Start.AddSeconds(15)], context.Timers);
    }

    [Fact]
    public async Task NobodyAnswers_EndsAtTheDeadline_WithATimeoutResultThatSaysWho()
    {
        var context = Context();
        context.Activities[FunctionNames.SendCommand] = _ => Task.FromResult<object?>(null);
        context.Activities[FunctionNames.GetCommandResult] = _ => Task.FromResult<object?>(null);

        var result = await Send(context, timeoutSeconds: 12);

        Assert.Equal(CommandStatus.TimedOut, result.Status);
        Assert.Equal((CommandErrorKind.Timeout, "No agent of group 'dc-1' answered agent.ping within 12 s."), (result.Error!.Kind, result.Error.Message));
        Assert.Equal([Start.AddSeconds(5), Start.AddSeconds(10), Start.AddSeconds(12)], context.Timers);
        Assert.Equal(3, context.Calls.Count(c => c.Name == FunctionNames.GetCommandResult));
        Assert.Equal(new DateTimeOffset(Start.AddSeconds(12), TimeSpan.Zero), result.Timings.CompletedAt);
    }

    [Fact]
    public async Task SendFailsAfterItsRetries_IsAFailedResultSayingSo_AndNothingWaits()
    {
        var context = Context();
        context.Activities[FunctionNames.SendCommand] = _ => throw new TaskFailedException(
            FunctionNames.SendCommand, 1, new TaskFailureDetails("ServiceBusException", "the namespace is unreachable", null, null, null));

        var result = await Send(context, timeoutSeconds: 30);

        Assert.Equal((CommandStatus.Failed, CommandErrorKind.Internal), (result.Status, result.Error!.Kind));
        Assert.Equal("the agent.ping command could not be sent: the namespace is unreachable", result.Error.Message);
        Assert.Empty(context.Timers);
    }

    [Fact]
    public async Task SentAhead_WaitsFirst_AndSendsAgainOnlyWhenTheFirstSliceEndsUnanswered()
    {
        var context = Context();
        var answer = Result(CommandStatus.Succeeded);
        context.Activities[FunctionNames.SendCommand] = input =>
        {
            context.Raise(((CommandRequest)input!).Correlation.EventName!, answer);
            return Task.FromResult<object?>(null);
        };

        var result = await CommandCalls.WaitForSentAheadAsync(context, "ping", "default", "dc-1", CommandKinds.Ping, Payload, 30, null);

        // No send before the first slice; the send after it, whose answer is taken with no further slice.
        Assert.Same(answer, result);
        Assert.Equal([FunctionNames.SendCommand], context.Calls.Select(c => c.Name));
        Assert.Equal([Start.AddSeconds(5)], context.Timers);
    }

    [Fact]
    public async Task Many_GoOutInOneSend_AndEachEndsByItsEvent_ItsRecordedResult_OrItsOwnDeadline()
    {
        var context = Context();
        var calls = new[] { Call("a", 60), Call("b", 60), Call("c", 8) };
        var ids = calls.Select(c => CommandCalls.CommandId(Instance, c.Step)).ToList();
        var looked = new List<IReadOnlyList<string>>();
        context.Activities[FunctionNames.SendCommands] = input =>
        {
            // b answers at once; a's event is lost, its result is stored; c never answers.
            var requests = (IReadOnlyList<CommandRequest>)input!;
            context.Raise(requests[1].Correlation.EventName!, Result(CommandStatus.Succeeded, ids[1]));
            return Task.FromResult<object?>(new CommandResult?[] { null, null, null });
        };
        context.Activities[FunctionNames.GetCommandResults] = input =>
        {
            var queries = (IReadOnlyList<CommandResultQuery>)input!;
            looked.Add([.. queries.Select(q => q.CommandId)]);
            return Task.FromResult<object?>(queries.Select(q => q.CommandId == ids[0] ? Result(CommandStatus.Failed, ids[0]) : null).ToList());
        };

        var results = await CommandCalls.SendAndWaitAllAsync(context, "default", calls, null);

        Assert.Equal([ids[0], ids[1], ids[2]], results.Select(r => r.CommandId));
        Assert.Equal([CommandStatus.Failed, CommandStatus.Succeeded, CommandStatus.TimedOut], results.Select(r => r.Status));
        Assert.Equal("No agent of group 'dc-1' answered agent.ping within 8 s.", results[2].Error!.Message);
        Assert.Equal(1, context.Calls.Count(c => c.Name == FunctionNames.SendCommands));

        // The first slice ends at 5 s: a and c are looked up (b had answered); a is found; c ends at its 8 s deadline.
        Assert.Equal([Start.AddSeconds(5), Start.AddSeconds(8)], context.Timers);
        Assert.Equal([[ids[0], ids[2]], [ids[2]]], looked);
    }

    [Fact]
    public async Task Many_ThatCannotBeSent_AreEachAFailedResult_AndNothingWaits()
    {
        var context = Context();
        context.Activities[FunctionNames.SendCommands] = _ => throw new TaskFailedException(
            FunctionNames.SendCommands, 1, new TaskFailureDetails("ServiceBusException", "the namespace is unreachable", null, null, null));

        var results = await CommandCalls.SendAndWaitAllAsync(context, "default", [Call("a", 30), Call("b", 30)], null);

        Assert.All(results, r => Assert.Equal((CommandStatus.Failed, "the agent.ping command could not be sent: the namespace is unreachable"), (r.Status, r.Error!.Message)));
        Assert.Empty(context.Timers);
    }

    [Fact]
    public async Task NoCalls_AreNoActivity()
    {
        var context = Context();

        Assert.Empty(await CommandCalls.SendAndWaitAllAsync(context, "default", [], null));
        Assert.Empty(context.Calls);
    }

    [Fact]
    public void CommandId_IsStablePerInstanceAndStep_AndDiffersBetweenSteps()
    {
        Assert.Equal(CommandCalls.CommandId(Instance, "define"), CommandCalls.CommandId(Instance, "define"));
        Assert.NotEqual(CommandCalls.CommandId(Instance, "define"), CommandCalls.CommandId(Instance, "start"));
        Assert.NotEqual(CommandCalls.CommandId(Instance, "define"), CommandCalls.CommandId("default.other", "define"));
        Assert.Matches("^[0-9a-f]{32}$", CommandCalls.CommandId(Instance, "define"));
    }

    private static FakeOrchestrationContext Context() => new(Instance, null, Start);

    private static Task<CommandResult> Send(FakeOrchestrationContext context, int timeoutSeconds) =>
        CommandCalls.SendAndWaitAsync(context, "ping", "default", "dc-1", CommandKinds.Ping, Payload, timeoutSeconds, null);

    private static CommandCall Call(string step, int timeoutSeconds) => new(step, "dc-1", CommandKinds.Ping, Payload, timeoutSeconds);

    private static CommandResult Result(CommandStatus status, string? commandId = null) => new(
        SchemaVersions.Current, commandId ?? CommandCalls.CommandId(Instance, "ping"), "default", "dc-1", "agent-1", CommandKinds.Ping, status, null, null,
        new CommandTimings(Start, Start, Start), new CommandCorrelation(Instance, null), null);
}

using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;
using Serverless.Functions.Zones;

namespace Serverless.Functions.Tests;

/// <summary>
/// The zone ping workflow against a fake orchestration context: the agent's answer is the result, the request's trace
/// context travels with the command, and a failure or a timeout fails the workflow with the reason.
/// </summary>
public sealed class ZonePingOrchestratorTests
{
    private const string Instance = "default.0123456789abcdef0123456789abcdef";
    private static readonly DateTime Start = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TraceContext Trace = new("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null);

    [Fact]
    public async Task TheAgentsAnswer_IsTheResult_AndTheCommandCarriesTheRequestsTrace()
    {
        var sent = new List<CommandRequest>();
        var context = Context(timeoutSeconds: 30, answer: request =>
        {
            sent.Add(request);
            return AgentAnswer.To(request);
        });

        var result = await ZonePingOrchestrator.RunAsync(context);

        Assert.Equal((CommandStatus.Succeeded, "agent-1"), (result.Status, result.AgentId));
        var request = Assert.Single(sent);
        Assert.Equal((CommandKinds.Ping, "dc-1", Trace), (request.Kind, request.AgentGroup, request.Trace));
    }

    [Fact]
    public async Task AFailedPing_FailsTheWorkflow_WithTheAgentsReason()
    {
        var context = Context(timeoutSeconds: 30, answer: request => AgentAnswer.Failed(request, CommandErrorKind.Internal, "the agent is shutting down"));

        var error = await Assert.ThrowsAsync<CommandFailedException>(() => ZonePingOrchestrator.RunAsync(context));

        Assert.Equal("the agent is shutting down", error.Message);
    }

    [Fact]
    public async Task NoAnswer_FailsTheWorkflowAtItsDeadline_SayingWhoDidNotAnswer()
    {
        var context = Context(timeoutSeconds: 8, answer: null);
        context.Activities[FunctionNames.GetCommandResult] = _ => Task.FromResult<object?>(null);

        var error = await Assert.ThrowsAsync<CommandFailedException>(() => ZonePingOrchestrator.RunAsync(context));

        Assert.Equal("No agent of group 'dc-1' answered agent.ping within 8 s.", error.Message);
        Assert.Equal([Start.AddSeconds(5), Start.AddSeconds(8)], context.Timers);
    }

    /// <summary>A ping of dc-1; <paramref name="answer"/> is the agent answering each send at once (null: no agent answers).</summary>
    private static FakeOrchestrationContext Context(int timeoutSeconds, Func<CommandRequest, CommandResult>? answer)
    {
        var context = new FakeOrchestrationContext(Instance, new ZonePingInput("default", "dc-1", timeoutSeconds, Trace), Start);
        context.Activities[FunctionNames.SendCommand] = input =>
        {
            var request = (CommandRequest)input!;
            if (answer is not null)
            {
                context.Raise(request.Correlation.EventName!, answer(request));
            }

            return Task.FromResult<object?>(null);
        };
        return context;
    }
}

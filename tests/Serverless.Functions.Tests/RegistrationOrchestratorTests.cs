using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Registration;
using Serverless.Functions.Commands;
using Serverless.Functions.Registration;

namespace Serverless.Functions.Tests;

/// <summary>
/// The registration workflow against a fake orchestration context: the answer to the command its starter sent ahead is
/// decided and recorded without a send of its own; an agent interrupted mid-verification is asked again after 5 and
/// 10 s, three attempts in all; nobody answering ends in a rejection for the timeout, recorded like any decision.
/// </summary>
public sealed class RegistrationOrchestratorTests
{
    private const string Instance = "default.0123456789abcdef0123456789abcdef";
    private static readonly DateTime Start = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    private static readonly RegistrationPlan Plan = new(
        "default", "lb-1", "dc-1", ResourceKind.SnmpAppliance, "10.0.0.5:161", "simulated-load-balancer", ["load-balancer"], 30, "8.0.0", "lb");

    [Fact]
    public async Task TheAnswerToTheCommandSentAhead_IsDecidedAndRecorded_WithoutASendOfItsOwn()
    {
        var (context, recorded) = Context();
        context.Raise(EventName(1), Verified(1));

        var decision = await RegistrationOrchestrator.RunAsync(context);

        Assert.Equal(RegistrationState.Registered, decision.State);
        Assert.Equal("1.3.6.1.4.1.8072.3.2.10", decision.Capabilities["snmp.sysObjectID"]);
        Assert.Equal([FunctionNames.RecordRegistrationDecision], context.Calls.Select(c => c.Name));
        Assert.Equal(("0123456789abcdef0123456789abcdef", decision), (recorded.Single().OperationId, recorded.Single().Decision));
        Assert.Empty(context.Timers);
    }

    [Fact]
    public async Task AnAgentInterruptedMidVerification_IsAskedAgainAfter5And10Seconds_ThreeAttemptsInAll()
    {
        var (context, recorded) = Context();
        var sent = new List<string>();
        context.Raise(EventName(1), Interrupted(1));
        context.Activities[FunctionNames.SendCommand] = input =>
        {
            var request = (CommandRequest)input!;
            sent.Add(request.CommandId);
            var attempt = sent.Count + 1;
            context.Raise(request.Correlation.EventName!, Interrupted(attempt));
            return Task.FromResult<object?>(null);
        };

        var decision = await RegistrationOrchestrator.RunAsync(context);

        Assert.Equal([CommandCalls.CommandId(Instance, "verify-2"), CommandCalls.CommandId(Instance, "verify-3")], sent);
        Assert.Equal([Start.AddSeconds(5), Start.AddSeconds(15)], context.Timers);
        Assert.Equal(RegistrationState.Rejected, decision.State);
        Assert.StartsWith("The zone's agent could not verify the resource (Internal): interrupted 3", decision.Reasons.Single(), StringComparison.Ordinal);
        Assert.Equal(decision, recorded.Single().Decision);
    }

    [Fact]
    public async Task NobodyAnswering_EndsRejectedForTheTimeout_AfterSendingOnceMore()
    {
        var (context, recorded) = Context(Plan with { VerificationTimeoutSeconds = 5 });
        var sends = 0;
        context.Activities[FunctionNames.SendCommand] = _ =>
        {
            sends++;
            return Task.FromResult<object?>(null);
        };

        var decision = await RegistrationOrchestrator.RunAsync(context);

        // The starter may have died before sending: the first slice that passes without an answer sends it.
        Assert.Equal(1, sends);
        Assert.Equal([Start.AddSeconds(5)], context.Timers);
        Assert.Equal(RegistrationState.Rejected, decision.State);
        Assert.Equal("The zone's agent did not answer the capability verification within 5 seconds: is an agent of zone 'dc-1' running and connected?", decision.Reasons.Single());
        Assert.Equal(decision, recorded.Single().Decision);
    }

    private static (FakeOrchestrationContext Context, List<RecordRegistrationDecisionInput> Recorded) Context(RegistrationPlan? plan = null)
    {
        var context = new FakeOrchestrationContext(Instance, plan ?? Plan, Start);
        var recorded = new List<RecordRegistrationDecisionInput>();
        context.Activities[FunctionNames.RecordRegistrationDecision] = input =>
        {
            recorded.Add((RecordRegistrationDecisionInput)input!);
            return Task.FromResult<object?>(null);
        };
        return (context, recorded);
    }

    private static string EventName(int attempt) =>
        CommandCalls.Request(Instance, RegistrationOrchestrator.VerificationStep(attempt), Start, "default", "dc-1", CommandKinds.VerifyCapabilities, Plan.VerificationPayload(), 30, null)
            .Correlation.EventName!;

    private static CommandResult Verified(int attempt) => Result(attempt, CommandStatus.Succeeded, null, JsonSerializer.SerializeToElement(
        new CapabilityVerificationResult(SchemaVersions.Current, CommandCalls.CommandId(Instance, $"verify-{attempt}"), true, new Dictionary<string, string> { ["snmp.sysObjectID"] = "1.3.6.1.4.1.8072.3.2.10" }, []),
        ContractsJsonContext.Default.CapabilityVerificationResult));

    private static CommandResult Interrupted(int attempt) =>
        Result(attempt, CommandStatus.Failed, new CommandError(CommandErrorKind.Internal, $"interrupted {attempt}"), null);

    private static CommandResult Result(int attempt, CommandStatus status, CommandError? error, JsonElement? output) => new(
        SchemaVersions.Current, CommandCalls.CommandId(Instance, $"verify-{attempt}"), "default", "dc-1", "agent-1", CommandKinds.VerifyCapabilities, status, output, error,
        new CommandTimings(Start, Start, Start), new CommandCorrelation(Instance, null), null);
}

using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Instances;
using Serverless.Functions.Commands;
using Serverless.Functions.Instances;

namespace Serverless.Functions.Tests;

/// <summary>
/// The adoption workflow against a fake context: one <c>instance.adopt</c> under an id derived from the orchestration
/// (so a restarted host repeats the same command), then one record of what the host reported, or of why it refused.
/// </summary>
public sealed class InstanceAdoptOrchestratorTests
{
    private const string Instance = "contoso.0123456789abcdef0123456789abcdef";
    private static readonly DateTime Start = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private static readonly AdoptPlan Plan = new("contoso", "legacy-db", "0123456789abcdef0123456789abcdef", "kvm-1", "dc-1", "qemu:///system");

    [Fact]
    public async Task AnAdoptedDomain_IsRecordedAsTheHostReportedIt()
    {
        var reported = new InstanceAdoptOutput("legacy-db", InstanceState.Running, 2, 2048, null, true);
        var (context, sent, recorded) = Context(request => AgentAnswer.Succeeded(request, reported, ContractsJsonContext.Default.InstanceAdoptOutput));

        var outcome = await InstanceAdoptOrchestrator.RunAsync(context);

        var request = sent.Single();
        Assert.Equal((CommandCalls.CommandId(Instance, "adopt"), CommandKinds.AdoptInstance, "dc-1"), (request.CommandId, request.Kind, request.AgentGroup));
        Assert.Equal(new InstanceAdoptPayload("qemu:///system", "legacy-db", "contoso/legacy-db"), request.Payload.Deserialize(ContractsJsonContext.Default.InstanceAdoptPayload));
        Assert.Equal(new AdoptionResult(Plan, reported, null), recorded.Single());
        Assert.Equal(LifecycleState.Running, outcome.State);
        Assert.Equal("done", ((InstanceProgress)context.CustomStatus!).Step);
    }

    [Fact]
    public async Task ARefusal_IsRecordedWithTheAgentsReason_AndNoDomain()
    {
        var (context, _, recorded) = Context(request => AgentAnswer.Failed(request, CommandErrorKind.DeviceError, "legacy-db is managed already"));

        await InstanceAdoptOrchestrator.RunAsync(context);

        Assert.Equal(new AdoptionResult(Plan, null, "deviceError: legacy-db is managed already"), recorded.Single());
        Assert.Equal([FunctionNames.SendCommand, FunctionNames.RecordAdoption], context.Calls.Select(c => c.Name));
    }

    private static (FakeOrchestrationContext Context, List<CommandRequest> Sent, List<AdoptionResult> Recorded) Context(Func<CommandRequest, CommandResult> agent)
    {
        var context = new FakeOrchestrationContext(Instance, Plan, Start);
        var sent = new List<CommandRequest>();
        var recorded = new List<AdoptionResult>();
        context.Activities[FunctionNames.SendCommand] = input =>
        {
            var request = (CommandRequest)input!;
            sent.Add(request);
            context.Raise(request.Correlation.EventName!, agent(request));
            return Task.FromResult<object?>(null);
        };
        context.Activities[FunctionNames.RecordAdoption] = input =>
        {
            var result = (AdoptionResult)input!;
            recorded.Add(result);
            return Task.FromResult<object?>(new InstanceOutcome(Plan.Name, result.Domain is null ? LifecycleState.Failed : LifecycleState.Running, result.Refusal, Plan.HostId, Plan.Zone));
        };
        return (context, sent, recorded);
    }
}

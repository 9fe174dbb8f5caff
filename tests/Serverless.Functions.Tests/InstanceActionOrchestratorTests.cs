using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Instances;
using Serverless.Functions.Instances;

namespace Serverless.Functions.Tests;

/// <summary>
/// The action workflow over several instances under one operation (a stack terminating a tier) against a fake
/// context: one send for every instance on a host, one release for the terminated, one record of every outcome; an
/// instance that never reached a host is only its record; a failed command leaves the state before, with the reason,
/// and keeps the reservation.
/// </summary>
public sealed class InstanceActionOrchestratorTests
{
    private const string Tenant = "contoso";
    private const string Operation = "fedcba9876543210fedcba9876543210";
    private static readonly DateTime Start = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Terminations_OneNeverPlaced_OneDone_OneRefusedByTheHost_EachStepOneActivity()
    {
        var plans = new[] { Plan("a", onHost: true), Plan("b", onHost: false), Plan("c", onHost: true) };
        var context = new FakeOrchestrationContext($"{Tenant}.{Operation}", new ActionBatch(Tenant, Operation, plans), Start);
        var sent = new List<string>();
        var released = new List<string>();
        var recorded = new List<string>();
        context.Activities[FunctionNames.SendCommands] = input =>
        {
            var requests = (IReadOnlyList<CommandRequest>)input!;
            sent.AddRange(requests.Select(r => r.Payload.GetProperty("name").GetString()!));
            return Task.FromResult<object?>(requests.Select(r => r.Payload.GetProperty("name").GetString() == "c" ? AgentAnswer.Failed(r, CommandErrorKind.Unreachable, "host gone") : AgentAnswer.To(r)).ToList());
        };
        context.Activities[FunctionNames.ReleaseInstances] = input =>
        {
            released.AddRange(((IReadOnlyList<InstanceRelease>)input!).Select(r => r.Name));
            return Task.FromResult<object?>(null);
        };
        context.Activities[FunctionNames.RecordInstanceSteps] = input =>
        {
            recorded.AddRange(((IReadOnlyList<InstanceStep>)input!).Select(s => $"{s.Name} {InstanceService.Words(s.State)}{(s.Reason is null ? string.Empty : $": {s.Reason}")}"));
            return Task.FromResult<object?>(new List<bool>());
        };

        var outcomes = await InstanceActionOrchestrator.RunBatchAsync(context);

        Assert.Equal(["a", "c"], sent);
        Assert.Equal(["a"], released);
        Assert.Equal(["a terminated", "b terminated", "c running: terminate failed: unreachable: host gone"], recorded);
        Assert.Equal([LifecycleState.Terminated, LifecycleState.Terminated, LifecycleState.Running], outcomes.Select(o => o.State));
        Assert.Equal(
            [FunctionNames.SendCommands, FunctionNames.ReleaseInstances, FunctionNames.RecordInstanceSteps],
            context.Calls.Select(c => c.Name));
    }

    private static ActionPlan Plan(string name, bool onHost) => new(
        Tenant, name, Operation, InstanceAction.Terminate, LifecycleState.Running, onHost ? "kvm-1" : null, onHost ? "dc-1" : null,
        onHost ? "test:///default" : null, null, 30);
}

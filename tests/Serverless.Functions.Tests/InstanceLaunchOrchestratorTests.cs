using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Instances;
using Serverless.Functions.Instances;

namespace Serverless.Functions.Tests;

/// <summary>
/// The launch workflow over several launches against a fake context: each step is one activity for all the launches
/// still going, and a launch that fails is undone alone (its host's part, then its reservation only when that part is
/// gone, then its record) while the others run on.
/// </summary>
public sealed class InstanceLaunchOrchestratorTests
{
    private const string Tenant = "contoso";
    private const string Operation = "0123456789abcdef0123456789abcdef";
    private static readonly DateTime Start = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    private readonly List<string> _sent = [];
    private readonly List<string> _recorded = [];
    private readonly List<string> _released = [];

    [Fact]
    public async Task ThreeLaunches_OneNotPlaced_OneWhoseDefineFails_OneRunning_EachStepOneActivity()
    {
        var context = Context(["a", "b", "c"], failDefineOf: "c", failUndo: false);

        var outcomes = await InstanceLaunchOrchestrator.RunBatchAsync(context);

        Assert.Equal(
            ["a running on kvm-1", "b failed: no host has room", "c failed: define failed: deviceError: disk full"],
            outcomes.Select(o => $"{o.Name} {InstanceService.Words(o.State)}{(o.State == LifecycleState.Running ? $" on {o.HostId}" : $": {o.Reason}")}"));
        Assert.Equal(["instance.define a,c", "instance.start a", "instance.terminate c"], _sent);
        Assert.Equal(["starting a", "running a", "failed c"], _recorded);
        Assert.Equal(["c on kvm-1"], _released);
        Assert.Equal(
            [FunctionNames.ReserveInstances, FunctionNames.SendCommands, FunctionNames.RecordInstanceSteps, FunctionNames.SendCommands,
                FunctionNames.RecordInstanceSteps, FunctionNames.SendCommands, FunctionNames.ReleaseInstances, FunctionNames.RecordInstanceSteps],
            context.Calls.Select(c => c.Name));
    }

    [Fact]
    public async Task ASingleLaunch_WhoseUndoFails_KeepsTheReservation_AndTheRecordSaysToTerminate()
    {
        var context = Context(["a"], failDefineOf: "a", failUndo: true);

        var outcome = await InstanceLaunchOrchestrator.RunAsync(context);

        Assert.Equal(LifecycleState.Failed, outcome.State);
        Assert.Equal("define failed: deviceError: disk full; cleaning the host up failed too (deviceError: host gone): terminate the instance to try again.", outcome.Reason);
        Assert.Empty(_released);
        Assert.Equal(["failed a"], _recorded);
        Assert.Equal("done", ((InstanceProgress)context.CustomStatus!).Step);
    }

    private FakeOrchestrationContext Context(IReadOnlyList<string> names, string failDefineOf, bool failUndo)
    {
        var plans = names.Select(n => new LaunchPlan(Tenant, n, Operation, 1, 512, "ubuntu")).ToList();
        var context = new FakeOrchestrationContext($"{Tenant}.{Operation}", plans.Count == 1 ? plans[0] : new LaunchBatch(Tenant, Operation, plans), Start);
        context.Activities[FunctionNames.ReserveInstances] = input => Task.FromResult<object?>(((IReadOnlyList<LaunchPlan>)input!)
            .Select(p => p.Name == "b" ? new ReserveOutcome(false, null, null, null, "no host has room") : new ReserveOutcome(true, "kvm-1", "dc-1", "test:///default", null))
            .ToList());
        context.Activities[FunctionNames.SendCommands] = input =>
        {
            var requests = (IReadOnlyList<CommandRequest>)input!;
            _sent.Add($"{requests[0].Kind} {string.Join(',', requests.Select(r => NameOf(r)))}");
            return Task.FromResult<object?>(requests.Select(r => Answer(r, failDefineOf, failUndo)).ToList());
        };
        context.Activities[FunctionNames.RecordInstanceSteps] = input =>
        {
            _recorded.AddRange(((IReadOnlyList<InstanceStep>)input!).Select(s => $"{InstanceService.Words(s.State)} {s.Name}"));
            return Task.FromResult<object?>(new List<bool>());
        };
        context.Activities[FunctionNames.ReleaseInstances] = input =>
        {
            _released.AddRange(((IReadOnlyList<InstanceRelease>)input!).Select(r => $"{r.Name} on {r.HostId}"));
            return Task.FromResult<object?>(null);
        };
        return context;
    }

    private static string NameOf(CommandRequest request) => request.Payload.GetProperty("name").GetString()!;

    private static CommandResult? Answer(CommandRequest request, string failDefineOf, bool failUndo)
    {
        var name = NameOf(request);
        var (error, output) = request.Kind switch
        {
            CommandKinds.DefineInstance when name == failDefineOf => (new CommandError(CommandErrorKind.DeviceError, "disk full"), (JsonElement?)null),
            CommandKinds.DefineInstance => (null, JsonSerializer.SerializeToElement(
                new InstanceDefineOutput(name, InstanceState.ShutOff, new InstanceVolume("default", $"{name}.qcow2", $"/pool/{name}.qcow2"), true), ContractsJsonContext.Default.InstanceDefineOutput)),
            CommandKinds.StartInstance => (null, JsonSerializer.SerializeToElement(new InstanceStartOutput(name, InstanceState.Running), ContractsJsonContext.Default.InstanceStartOutput)),
            _ when failUndo => (new CommandError(CommandErrorKind.DeviceError, "host gone"), null),
            _ => ((CommandError?)null, (JsonElement?)null),
        };
        return AgentAnswer.To(request, error, output);
    }
}

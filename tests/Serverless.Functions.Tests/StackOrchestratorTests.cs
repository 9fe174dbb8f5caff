using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Snmp;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Placement;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Stacks;
using Serverless.ControlPlane.Tests;
using Serverless.Functions.Stacks;

namespace Serverless.Functions.Tests;

/// <summary>
/// The stack orchestration against a fake context: its activities run the real stack service over in-memory stores,
/// launches reserve through the real instance service, and the agent's answers to SNMP commands come from the test. So
/// the order of steps, the journal around each, what a failure undoes and in which order are checked without durable
/// machinery (the end-to-end and crash tests cover the rest).
/// </summary>
public sealed class StackOrchestratorTests
{
    private const string Tenant = "contoso";
    private static readonly DateTimeOffset At = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly InMemoryInstanceStores _managed = new();
    private readonly InMemoryResourceStores _resources = new();
    private readonly InMemoryStackStore _stacks = new();
    private readonly InstanceService _instances;
    private readonly StackService _service;
    private readonly List<SnmpSetPayload> _sets = [];

    public StackOrchestratorTests()
    {
        TestResources.AddHost(_resources, Tenant, "kvm-1", "dc-1", cpus: 4, memoryKiB: 8192 * 1024, images: "ubuntu", At);
        TestResources.AddHost(_resources, Tenant, "kvm-2", "cloud-1", cpus: 4, memoryKiB: 8192 * 1024, images: "ubuntu", At);
        _resources.UpsertAsync(
            new ResourceRegistration(Tenant, "lb-1", "dc-1", ResourceKind.SnmpAppliance, "10.0.0.5:161", "simulated-load-balancer", [], RegistrationState.Registered, [],
                new Dictionary<string, string>(), "op-0", At, At, "lb"),
            CancellationToken.None).GetAwaiter().GetResult();
        var pools = new InMemoryPoolStore();
        var clock = new ManualClock(At);
        _instances = InstanceServiceTests.Create(_managed, _resources, At);
        _service = new StackService(
            _stacks, _instances, _resources, pools, new PoolService(pools, pools, _resources, new InMemoryMetricWindows(), clock),
            Options.Create(new PlacementOptions { CpuOvercommit = 1, MemoryOvercommit = 1 }), clock);
    }

    [Fact]
    public async Task RefusedLastStep_UndoesEverythingInReverseLevels_PuttingBackWhatWasRead()
    {
        var (context, run) = await StartAsync(keep: false);

        var outcome = await StackOrchestrator.RunAsync(context);

        Assert.Equal(StackStatus.RolledBack, outcome.Status);
        Assert.Contains("appliance:bad: the set failed: deviceError: notWritable", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(
            [
                "launch shop-web-1", "launch shop-web-2",
                "terminate shop-web-1", "terminate shop-web-2",
            ],
            context.Calls.Where(c => c.Name is FunctionNames.InstanceBatchLaunchOrchestrator or FunctionNames.InstanceBatchActionOrchestrator)
                .SelectMany(c => c.Input is LaunchBatch batch ? batch.Plans.Select(p => $"launch {p.Name}") : ((ActionBatch)c.Input!).Plans.Select(p => $"terminate {p.Name}")));

        // lb set to 1 after reading 2; bad refused; lb put back to the 2 it read. The refused set needs no undo.
        Assert.Equal(["lb=1", "bad=5", "lb=2"], _sets.Select(s => $"{(s.Bindings[0].Oid.Contains(".9999.1.2.", StringComparison.Ordinal) ? "bad" : "lb")}={s.Bindings[0].Value}"));
        var phases = _stacks.Events(Tenant, "shop").Select(e => $"{e.Item ?? "-"} {e.Phase}").ToList();
        Assert.Equal("- run:begin", phases[0]);
        Assert.Equal("- run:end", phases[^1]);
        Assert.True(phases.IndexOf("appliance:bad apply:done") < phases.IndexOf("appliance:bad undo:begin"));
        Assert.True(phases.IndexOf("appliance:lb undo:done") < phases.IndexOf("instance:web:1 undo:begin"), string.Join(" | ", phases));
        Assert.Empty(await _stacks.ListItemsAsync(Tenant, "shop", CancellationToken.None));
        Assert.All(await _managed.ListAllAsync(Tenant, CancellationToken.None), i => Assert.Equal(LifecycleState.Terminated, i.State));
        Assert.Equal((StackStatus.RolledBack, run.Run), ((await _stacks.GetAsync(Tenant, "shop", CancellationToken.None))!.Status, (await _stacks.GetAsync(Tenant, "shop", CancellationToken.None))!.Settled));
    }

    [Fact]
    public async Task RefusedLastStep_WithKeep_StopsThere_UndoingNothing()
    {
        var (context, _) = await StartAsync(keep: true);

        var outcome = await StackOrchestrator.RunAsync(context);

        Assert.Equal(StackStatus.Failed, outcome.Status);
        Assert.Equal(["appliance:bad"], outcome.FailedItems);
        Assert.DoesNotContain(context.Calls, c => c.Name == FunctionNames.InstanceBatchActionOrchestrator);
        Assert.Equal(["lb=1", "bad=5"], _sets.Select(s => $"{(s.Bindings[0].Oid.Contains(".9999.1.2.", StringComparison.Ordinal) ? "bad" : "lb")}={s.Bindings[0].Value}"));
        var items = (await _stacks.ListItemsAsync(Tenant, "shop", CancellationToken.None)).ToDictionary(i => i.Key, i => i.State);
        Assert.Equal((StackItemState.Applied, StackItemState.Applied, StackItemState.Failed), (items["instance:web:1"], items["appliance:lb"], items["appliance:bad"]));
    }

    [Fact]
    public async Task ItemsOfATier_RunInParallel_NeverMoreThanItsCap()
    {
        var template = JsonDocument.Parse("""
            {"schemaVersion":1,"concurrency":{"perTier":2,"perZone":10},
             "tiers":[{"name":"web","count":5,"zoneSelector":{"zones":["dc-1","cloud-1"]},"size":{"vcpus":1,"memoryMiB":512},"image":"ubuntu"}]}
            """).RootElement;
        var plan = (await _service.PlanAsync(Tenant, "shop", new StackPlanRequest(template, null), CancellationToken.None)).Value!;
        var run = (await _service.ApplyAsync(Tenant, "shop", plan.PlanId, CancellationToken.None)).Value!;
        var context = Context(run);
        var inFlight = new List<(TaskCompletionSource<object?> Done, LaunchBatch Batch)>();
        var batches = new List<int>();
        var most = 0;
        context.SubOrchestrations[FunctionNames.InstanceBatchLaunchOrchestrator] = (input, _) =>
        {
            var done = new TaskCompletionSource<object?>();
            var batch = (LaunchBatch)input!;
            inFlight.Add((done, batch));
            batches.Add(batch.Plans.Count);
            most = Math.Max(most, inFlight.Sum(f => f.Batch.Plans.Count));
            return done.Task;
        };

        var running = StackOrchestrator.RunAsync(context);
        var launched = 0;
        while (!running.IsCompleted)
        {
            Assert.True(inFlight.Count > 0, "the rollout waits on nothing");
            var (done, batch) = inFlight[0];
            inFlight.RemoveAt(0);
            done.SetResult(await RunAsync(batch));
            launched += batch.Plans.Count;
        }

        Assert.Equal(StackStatus.Succeeded, (await running).Status);
        Assert.Equal((5, 2), (launched, most));
        Assert.Equal([2, 2, 1], batches);
    }

    [Fact]
    public async Task ATiersLaunches_StartingTogether_AreOneLaunchWorkflow_UnderOneOperation_JournaledInOneWriteEachSide()
    {
        var template = JsonDocument.Parse("""
            {"schemaVersion":1,
             "tiers":[{"name":"web","count":5,"zoneSelector":{"zones":["dc-1","cloud-1"]},"size":{"vcpus":1,"memoryMiB":512},"image":"ubuntu","placement":{"spread":true}}]}
            """).RootElement;
        var plan = (await _service.PlanAsync(Tenant, "shop", new StackPlanRequest(template, null), CancellationToken.None)).Value!;
        var run = (await _service.ApplyAsync(Tenant, "shop", plan.PlanId, CancellationToken.None)).Value!;
        var context = Context(run);

        Assert.Equal(StackStatus.Succeeded, (await StackOrchestrator.RunAsync(context)).Status);

        var launch = (LaunchBatch)Assert.Single(context.Calls, c => c.Name == FunctionNames.InstanceBatchLaunchOrchestrator).Input!;
        Assert.Equal(["shop-web-1", "shop-web-2", "shop-web-3", "shop-web-4", "shop-web-5"], launch.Plans.Select(p => p.Name));
        var records = await _managed.ListAllAsync(Tenant, CancellationToken.None);
        Assert.All(records, r => Assert.Equal((LifecycleState.Running, launch.OperationId), (r.State, r.OperationId)));
        Assert.Equal(
            [5, 5],
            context.Calls.Where(c => c.Name == FunctionNames.JournalStackSteps).Select(c => ((IReadOnlyList<StackJournalEntry>)c.Input!).Count));
        var items = await _stacks.ListItemsAsync(Tenant, "shop", CancellationToken.None);
        Assert.Equal(5, items.Count(i => i.State == StackItemState.Applied && i.Host is not null));
        Assert.Equal(
            Enumerable.Range(0, 12).ToList(),
            _stacks.Events(Tenant, "shop").Select(e => e.Sequence).ToList());
    }

    private async Task<(FakeOrchestrationContext Context, StackRun Run)> StartAsync(bool keep)
    {
        var template = JsonDocument.Parse("""
            {"schemaVersion":1,"onFailure":"MODE",
             "tiers":[{"name":"web","count":2,"zoneSelector":{"zones":["dc-1","cloud-1"]},"size":{"vcpus":1,"memoryMiB":512},"image":"ubuntu","placement":{"spread":true}}],
             "appliances":[
               {"name":"lb","appliance":"lb-1","members":["1"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.1.{member}","type":"i","value":"1"}],"dependsOn":["web"]},
               {"name":"bad","appliance":"lb-1","members":["1"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.2.{member}","type":"u","value":"5"}],"dependsOn":["lb"]}]}
            """.Replace("MODE", keep ? "keep" : "rollback", StringComparison.Ordinal)).RootElement;
        var plan = (await _service.PlanAsync(Tenant, "shop", new StackPlanRequest(template, null), CancellationToken.None)).Value!;
        var run = (await _service.ApplyAsync(Tenant, "shop", plan.PlanId, CancellationToken.None)).Value!;
        return (Context(run), run);
    }

    /// <summary>A context for the run whose activities are the real service's, launches reserve and run, terminations release.</summary>
    private FakeOrchestrationContext Context(StackRun run)
    {
        var context = new FakeOrchestrationContext($"{Tenant}.{run.OperationId}", run, At.UtcDateTime);
        var none = CancellationToken.None;
        context.Activities[FunctionNames.JournalStackSteps] = async input => { await _service.JournalAsync((IReadOnlyList<StackJournalEntry>)input!, none); return null; };
        context.Activities[FunctionNames.NoteStackRun] = async input =>
        {
            var note = (StackNote)input!;
            await _service.NoteAsync(note.TenantId, note.Stack, note.Run, note.Sequence, note.Phase, note.Message, none);
            return null;
        };
        context.Activities[FunctionNames.PrepareStackLaunches] = async input => await _service.PrepareLaunchesAsync((StackLaunchesInput)input!, none);
        context.Activities[FunctionNames.PrepareStackTerminates] = async input => await _service.PrepareTerminatesAsync((StackTerminatesInput)input!, none);
        context.Activities[FunctionNames.PlanStackApply] = async input => await _service.ApplyStepsAsync(((StackApplyQuery)input!).TenantId, ((StackApplyQuery)input).Stack, ((StackApplyQuery)input).PlanId, none);
        context.Activities[FunctionNames.PlanStackUndo] = async input => await _service.UndoStepsAsync(((StackUndoQuery)input!).TenantId, ((StackUndoQuery)input).Stack, none);
        context.Activities[FunctionNames.FinishStackRun] = async input => await _service.FinishAsync((StackRunEnd)input!, none);
        context.Activities[FunctionNames.SendCommand] = input => Task.FromResult<object?>(Answer((CommandRequest)input!));
        context.SubOrchestrations[FunctionNames.InstanceBatchLaunchOrchestrator] = async (input, _) => await RunAsync((LaunchBatch)input!);
        context.SubOrchestrations[FunctionNames.InstanceBatchActionOrchestrator] = async (input, _) =>
        {
            var outcomes = new List<InstanceOutcome>();
            foreach (var action in ((ActionBatch)input!).Plans)
            {
                await _instances.ReleaseAsync(Tenant, action.HostId!, action.Name, none);
                await _instances.RecordStepAsync(Tenant, action.Name, action.OperationId, LifecycleState.Terminated, null, null, null, done: true, none);
                outcomes.Add(new InstanceOutcome(action.Name, LifecycleState.Terminated, null, action.HostId, action.Zone));
            }

            return outcomes;
        };
        return context;
    }

    /// <summary>A launch workflow's effect on the records: each launch reserved and recorded running.</summary>
    private async Task<IReadOnlyList<InstanceOutcome>> RunAsync(LaunchBatch batch)
    {
        var outcomes = new List<InstanceOutcome>();
        foreach (var launch in batch.Plans)
        {
            var reserved = await _instances.ReserveAsync(launch, CancellationToken.None);
            await _instances.RecordStepAsync(Tenant, launch.Name, launch.OperationId, LifecycleState.Running, null, null, null, done: true, CancellationToken.None);
            outcomes.Add(new InstanceOutcome(launch.Name, LifecycleState.Running, null, reserved.HostId, reserved.Zone));
        }

        return outcomes;
    }

    /// <summary>The device: every OID reads 2; a set on the read-only column (.2) is refused, others are taken.</summary>
    private CommandResult Answer(CommandRequest request)
    {
        JsonElement? output = null;
        CommandError? error = null;
        if (request.Kind == CommandKinds.SnmpGet)
        {
            var get = request.Payload.Deserialize(ContractsJsonContext.Default.SnmpGetPayload)!;
            output = JsonSerializer.SerializeToElement(new SnmpBindingsOutput([.. get.Oids.Select(o => new SnmpBinding(o, "integer", "2"))]), ContractsJsonContext.Default.SnmpBindingsOutput);
        }
        else
        {
            var set = request.Payload.Deserialize(ContractsJsonContext.Default.SnmpSetPayload)!;
            _sets.Add(set);
            error = set.Bindings.Any(b => b.Oid.Contains(".9999.1.2.", StringComparison.Ordinal)) ? new CommandError(CommandErrorKind.DeviceError, "notWritable") : null;
            output = error is null ? JsonSerializer.SerializeToElement(new SnmpBindingsOutput(set.Bindings), ContractsJsonContext.Default.SnmpBindingsOutput) : null;
        }

        return AgentAnswer.To(request, error, output);
    }
}

using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Contracts.Snmp;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Placement;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Stacks;

namespace Serverless.ControlPlane.Tests;

/// <summary>
/// Plans, the start of runs and the journal (<see cref="StackService"/>) over in-memory stores: hosts kvm-1 (dc-1, 2
/// vCPUs) and kvm-2 (cloud-1, 4 vCPUs), appliance lb-1 and pool web-pool. The orchestration's steps are played here by
/// writing its journal entries, so each rule is checked without durable machinery.
/// </summary>
public sealed class StackServiceTests
{
    private const string Tenant = "contoso";
    private static readonly DateTimeOffset At = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly InMemoryInstanceStores _managed = new();
    private readonly InMemoryResourceStores _resources = new();
    private readonly InMemoryPoolStore _pools = new();
    private readonly InMemoryStackStore _stacks = new();
    private readonly InstanceService _instances;
    private readonly StackService _service;

    public StackServiceTests()
    {
        InstanceServiceTests.AddHost(_resources, "kvm-1", "dc-1", cpus: 2, memoryKiB: 4096 * 1024, images: "ubuntu");
        InstanceServiceTests.AddHost(_resources, "kvm-2", "cloud-1", cpus: 4, memoryKiB: 8192 * 1024, images: "ubuntu");
        _resources.UpsertAsync(
            new ResourceRegistration(Tenant, "lb-1", "dc-1", ResourceKind.SnmpAppliance, "10.0.0.5:161", "simulated-load-balancer", [], RegistrationState.Registered, [],
                new Dictionary<string, string>(), "op-0", At, At, "lb"),
            CancellationToken.None).GetAwaiter().GetResult();
        _pools.TryAddAsync(
            new PoolDefinition(Tenant, "web-pool", ServiceKind.Compute, [new PoolMember("old-1", "kvm-1", "dc-1", null, "old-1")],
                new PoolPolicy("cpu.load", 0.8, 60, 0.2, 120, 60, 1, 2, 1, MemberPreference.ClientFirst), At, At),
            CancellationToken.None).GetAwaiter().GetResult();
        _instances = InstanceServiceTests.Create(_managed, _resources, At);
        var clock = new ManualClock(At);
        _service = new StackService(
            _stacks, _instances, _resources, _pools, new PoolService(_pools, _pools, _resources, new InMemoryMetricWindows(), clock),
            Options.Create(new PlacementOptions { CpuOvercommit = 1, MemoryOvercommit = 1 }), clock);
    }

    [Fact]
    public async Task Plan_NewStack_CreatesEveryItem_PlacedOneAfterAnotherAsTheRolloutWillReserve()
    {
        var plan = await PlanAsync(Template(webCount: 3));

        Assert.Equal(
            [
                "instance:web:1 create shop-web-1 kvm-2 cloud-1", "instance:web:2 create shop-web-2 kvm-1 dc-1", "instance:web:3 create shop-web-3 kvm-2 cloud-1",
                "appliance:lb create - lb-1 dc-1", "membership:pool create - - -",
            ],
            plan.Steps.Select(Line));
        Assert.Equal(0, plan.BasedOnVersion);
    }

    [Fact]
    public async Task Plan_PlacementThatCannotBeMet_IsRefusedOnTheTier()
    {
        var outcome = await _service.PlanAsync(Tenant, "shop", Request(Template(webCount: 7)), CancellationToken.None);

        var error = Assert.Single(outcome.Error!.Fields);
        Assert.Equal("$.tiers[0]", error.Field);
        Assert.StartsWith("instance 7 of 7 cannot be placed: no host in [dc-1, cloud-1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_UnknownApplianceAndPool_AreRefusedWithTheirPaths()
    {
        var outcome = await _service.PlanAsync(Tenant, "shop", Request(Template(appliance: "lb-9", pool: "no-pool")), CancellationToken.None);

        Assert.Equal(["$.appliances[0].appliance", "$.pools[0].pool"], outcome.Error!.Fields.Select(f => f.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReplanOfTheAppliedTemplate_IsAllNoOps()
    {
        await ApplyAndSucceedAsync(Template());

        var again = await PlanAsync(Template());

        Assert.All(again.Steps, s => Assert.Equal(StackActionKind.NoOp, s.Action));
        Assert.Equal(1, again.BasedOnVersion);
    }

    [Fact]
    public async Task ChangedTemplate_ReplacesChangedInstancesUnderNewNames_UpdatesTheAppliance_DeletesWhatLeft()
    {
        await ApplyAndSucceedAsync(Template(webCount: 2));

        var plan = await PlanAsync(Template(webCount: 1, vcpus: 2, value: "2"));

        Assert.Equal(
            [
                "instance:web:1 replace shop-web-1-r2 kvm-2 cloud-1", "appliance:lb update - lb-1 dc-1", "membership:pool update - - -",
                "instance:web:2 delete shop-web-2 kvm-1 dc-1",
            ],
            plan.Steps.Select(Line));
        Assert.Equal("shop-web-1", plan.Steps[0].Retiring);
        Assert.Contains("vcpus: 1 → 2", plan.Steps[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_OfAPlanMadeBeforeAnotherRun_IsRefusedSayingTheStackChanged()
    {
        var stale = await PlanAsync(Template());
        await ApplyAndSucceedAsync(Template());

        var outcome = await _service.ApplyAsync(Tenant, "shop", stale.PlanId, CancellationToken.None);

        Assert.Equal((ErrorKind.Conflict, "The stack changed since the plan."), (outcome.Error!.Kind, outcome.Error.Title));
        Assert.Contains("made at version 0", outcome.Error.Detail, StringComparison.Ordinal);
        Assert.Contains("version 1 now (succeeded", outcome.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_WhenTheCapacityThePlanCountedOnIsTaken_IsRefusedNamingEachDifference()
    {
        var plan = await PlanAsync(Template(webCount: 1));
        var launch = await _instances.PrepareLaunchAsync(
            Tenant, new LaunchInstanceRequest("intruder", "cloud-1", null, new InstanceSize(4, 512), "ubuntu", null, null, null), CancellationToken.None);
        await _instances.ReserveAsync(launch.Value!, CancellationToken.None);

        var outcome = await _service.ApplyAsync(Tenant, "shop", plan.PlanId, CancellationToken.None);

        Assert.Equal("The capacity the plan counted on changed.", outcome.Error!.Title);
        Assert.Equal(
            ["instance:web:1: planned to create on 'kvm-2' in 'cloud-1', now create on 'kvm-1' in 'dc-1'"],
            outcome.Error.BlockingItems.Select(b => b.Detail));
        Assert.Equal(StackStatus.New, (await _stacks.GetAsync(Tenant, "shop", CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task OneRunAtATime_AndTheSameApplyAgainAnswersItsRun()
    {
        var first = await PlanAsync(Template());
        var second = await PlanAsync(Template(value: "2"));

        var run = await _service.ApplyAsync(Tenant, "shop", first.PlanId, CancellationToken.None);
        var again = await _service.ApplyAsync(Tenant, "shop", first.PlanId, CancellationToken.None);
        var other = await _service.ApplyAsync(Tenant, "shop", second.PlanId, CancellationToken.None);
        var delete = await _service.DeleteAsync(Tenant, "shop", CancellationToken.None);

        Assert.Equal(run.Value!.OperationId, again.Value!.OperationId);
        Assert.Equal("Another operation is under way on the stack.", other.Error!.Title);
        Assert.Equal("Another operation is under way on the stack.", delete.Error!.Title);
        Assert.Equal(run.Value.OperationId, (await _service.CurrentRunAsync(Tenant, "shop", CancellationToken.None))!.OperationId);
    }

    [Fact]
    public async Task Journal_OfStepsWrittenTogether_WritesEachEntry_AndMovesEachItem_AsAloneItWould()
    {
        var plan = await PlanAsync(Template(webCount: 3));
        var run = (await _service.ApplyAsync(Tenant, "shop", plan.PlanId, CancellationToken.None)).Value!;
        var launches = (await StepsAsync(run)).Where(s => s.Kind == StackItemKind.Instance).ToList();
        Assert.Equal(3, launches.Count);

        await _service.JournalAsync([.. launches.Select((s, i) => new StackJournalEntry(Tenant, "shop", run.Run, i, s, StackStepPhase.Apply, Done: false))], CancellationToken.None);
        var applying = (await _stacks.ListItemsAsync(Tenant, "shop", CancellationToken.None)).Where(i => i.Kind == StackItemKind.Instance).ToList();
        await _service.JournalAsync(
            [.. launches.Select((s, i) => new StackJournalEntry(Tenant, "shop", run.Run, 3 + i, s, StackStepPhase.Apply, Done: true, Succeeded: i != 1, Reason: i == 1 ? "boom" : null, Host: "kvm-2"))],
            CancellationToken.None);

        Assert.Equal(Enumerable.Repeat(StackItemState.Applying, 3), applying.Select(i => i.State));
        Assert.Equal(
            ["instance:web:1 apply:begin", "instance:web:2 apply:begin", "instance:web:3 apply:begin", "instance:web:1 apply:done", "instance:web:2 apply:done", "instance:web:3 apply:done"],
            _stacks.Events(Tenant, "shop").Select(e => $"{e.Item} {e.Phase}"));
        var items = (await _stacks.ListItemsAsync(Tenant, "shop", CancellationToken.None)).Where(i => i.Kind == StackItemKind.Instance).ToDictionary(i => i.Key, i => i.State);
        Assert.Equal((StackItemState.Applied, StackItemState.Failed, StackItemState.Applied), (items["instance:web:1"], items["instance:web:2"], items["instance:web:3"]));
    }

    [Fact]
    public async Task Journal_OfTwoEntriesForOneItem_OrOfTwoStacks_IsRefused_WritingNothing()
    {
        var plan = await PlanAsync(Template(webCount: 1));
        var run = (await _service.ApplyAsync(Tenant, "shop", plan.PlanId, CancellationToken.None)).Value!;
        var step = (await StepsAsync(run))[0];

        await Assert.ThrowsAsync<ArgumentException>(() => _service.JournalAsync(
            [new StackJournalEntry(Tenant, "shop", run.Run, 0, step, StackStepPhase.Apply, Done: false), new StackJournalEntry(Tenant, "shop", run.Run, 1, step, StackStepPhase.Apply, Done: true)],
            CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _service.JournalAsync(
            [new StackJournalEntry(Tenant, "shop", run.Run, 0, step, StackStepPhase.Apply, Done: false), new StackJournalEntry(Tenant, "other", run.Run, 1, step, StackStepPhase.Apply, Done: false)],
            CancellationToken.None));
        Assert.Empty(_stacks.Events(Tenant, "shop"));
    }

    [Fact]
    public async Task Journal_WritesBeforeAndAfterEachStep_WithItsIdempotencyKeyAndUndo_AndTheItemFollows()
    {
        var plan = await PlanAsync(Template(webCount: 1));
        var run = (await _service.ApplyAsync(Tenant, "shop", plan.PlanId, CancellationToken.None)).Value!;
        var step = (await StepsAsync(run))[0];

        var operation = StackService.LaunchOperationId("shop", run.Run, [step.Key]);
        await _service.JournalAsync([new StackJournalEntry(Tenant, "shop", run.Run, 0, step, StackStepPhase.Apply, Done: false, OperationId: operation)], CancellationToken.None);
        var applying = (await _stacks.ListItemsAsync(Tenant, "shop", CancellationToken.None)).Single();
        await _service.JournalAsync([new StackJournalEntry(Tenant, "shop", run.Run, 0, step, StackStepPhase.Apply, Done: false, OperationId: operation)], CancellationToken.None);
        await _service.JournalAsync([new StackJournalEntry(Tenant, "shop", run.Run, 1, step, StackStepPhase.Apply, Done: true, Succeeded: true)], CancellationToken.None);

        var events = _stacks.Events(Tenant, "shop").ToList();
        Assert.Equal(["apply:begin", "apply:done"], events.Select(e => e.Phase));
        Assert.Equal($"launch shop-web-1 with clientRequestId stack:shop:1 under operation {operation}", events[0].IdempotencyKey);
        Assert.Equal("terminate shop-web-1", events[0].Undo);
        Assert.Equal("succeeded", events[1].Outcome);
        Assert.Equal(StackItemState.Applying, applying.State);
        var applied = (await _stacks.ListItemsAsync(Tenant, "shop", CancellationToken.None)).Single();
        Assert.Equal((StackItemState.Applied, "kvm-2", "shop-web-1", 1), (applied.State, applied.Host, applied.Instance, applied.Run));
    }

    [Fact]
    public async Task UndoSteps_AfterAFailure_UndoOnlyWhatTheRunDid_HighestLevelFirst()
    {
        await ApplyAndSucceedAsync(Template(webCount: 1));
        var plan = await PlanAsync(Template(webCount: 2, value: "2"));
        var run = (await _service.ApplyAsync(Tenant, "shop", plan.PlanId, CancellationToken.None)).Value!;
        var read = new List<SnmpBinding> { new("1.3.6.1.4.1.8072.9999.1.1.1", "integer", "1") };
        await PlayAsync(run, (await StepsAsync(run)).Single(s => s.Key == "instance:web:2"), succeeded: true);
        await PlayAsync(run, (await StepsAsync(run)).Single(s => s.Key == "appliance:lb"), succeeded: true, read: read);
        await PlayAsync(run, (await StepsAsync(run)).Single(s => s.Key == "membership:pool"), succeeded: false);

        var undo = await _service.UndoStepsAsync(Tenant, "shop", CancellationToken.None);

        Assert.Equal(["appliance:lb", "membership:pool", "instance:web:2"], undo.Select(s => s.Key));
        Assert.Equal("shop-web-2", undo[2].Instance);
        Assert.Equal(read, undo[0].Appliance!.Bindings);
        Assert.DoesNotContain(undo, s => s.Key == "instance:web:1");
    }

    [Fact]
    public async Task Undo_OfAnUpdate_PutsTheItemBackAsItWas_OfACreate_MarksItUndone()
    {
        await ApplyAndSucceedAsync(Template(webCount: 1));
        var before = (await _stacks.ListItemsAsync(Tenant, "shop", CancellationToken.None)).Single(i => i.Key == "appliance:lb");
        var plan = await PlanAsync(Template(webCount: 2, value: "2"));
        var run = (await _service.ApplyAsync(Tenant, "shop", plan.PlanId, CancellationToken.None)).Value!;
        await PlayAsync(run, (await StepsAsync(run)).Single(s => s.Key == "appliance:lb"), succeeded: true, read: [new("1.3.6.1.4.1.8072.9999.1.1.1", "integer", "1")]);
        await PlayAsync(run, (await StepsAsync(run)).Single(s => s.Key == "instance:web:2"), succeeded: true);

        foreach (var step in await _service.UndoStepsAsync(Tenant, "shop", CancellationToken.None))
        {
            await _service.JournalAsync([new StackJournalEntry(Tenant, "shop", run.Run, 90, step, StackStepPhase.Undo, Done: true, Succeeded: true)], CancellationToken.None);
        }

        var items = (await _stacks.ListItemsAsync(Tenant, "shop", CancellationToken.None)).ToDictionary(i => i.Key);
        Assert.Equal((before.Spec, StackItemState.Applied, 1), (items["appliance:lb"].Spec, items["appliance:lb"].State, items["appliance:lb"].Run));
        Assert.Equal(StackItemState.Undone, items["instance:web:2"].State);
    }

    [Fact]
    public async Task Retry_AfterAKeptFailure_RunsOnlyWhatFailedOrNeverRan_AndAFailedInstanceGetsANewName()
    {
        var plan = await PlanAsync(Template(webCount: 2).Replace("\"schemaVersion\":1,", "\"schemaVersion\":1,\"onFailure\":\"keep\",", StringComparison.Ordinal));
        var run = (await _service.ApplyAsync(Tenant, "shop", plan.PlanId, CancellationToken.None)).Value!;
        await PlayAsync(run, (await StepsAsync(run)).Single(s => s.Key == "instance:web:1"), succeeded: true);
        await PlayAsync(run, (await StepsAsync(run)).Single(s => s.Key == "instance:web:2"), succeeded: false);
        await _service.FinishAsync(new StackRunEnd(Tenant, "shop", run.OperationId, run.Run, run.Kind, StackStatus.Failed, "web:2 failed"), CancellationToken.None);

        var retry = await _service.RetryAsync(Tenant, "shop", CancellationToken.None);

        Assert.Equal(FailureMode.Keep, run.OnFailure);
        Assert.Equal(["instance:web:2 create shop-web-2-r2", "appliance:lb create", "membership:pool create"],
            (await StepsAsync(retry.Value!)).Select(s => $"{s.Key} {s.Action.ToString().ToLowerInvariant()}{(s.Instance is null ? string.Empty : $" {s.Instance}")}"));
        Assert.Equal(2, retry.Value!.Run);
        Assert.Equal("Another operation is under way on the stack.", (await _service.RetryAsync(Tenant, "shop", CancellationToken.None)).Error!.Title);
    }

    [Fact]
    public async Task UsesOf_NameTheStacksHoldingItemsOnAResource()
    {
        await ApplyAndSucceedAsync(Template(webCount: 1));

        var onAppliance = await StackService.UsesOfAsync(_stacks, Tenant, "lb-1", CancellationToken.None);
        var onOtherHost = await StackService.UsesOfAsync(_stacks, Tenant, "kvm-1", CancellationToken.None);

        Assert.Equal([("stack", "shop")], onAppliance.Select(u => (u.Kind, u.Id)));
        Assert.Empty(onOtherHost);
    }

    private static string Line(StackStep s) =>
        $"{s.Key} {(s.Action == StackActionKind.NoOp ? "noOp" : s.Action.ToString().ToLowerInvariant())} {s.Instance ?? "-"} {s.Host ?? "-"} {s.Zone ?? "-"}";

    private async Task<StackPlan> PlanAsync(string template)
    {
        var outcome = await _service.PlanAsync(Tenant, "shop", Request(template), CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        return outcome.Value!;
    }

    /// <summary>Applies the template and plays every step as succeeded, then ends the run as the orchestration does.</summary>
    private async Task ApplyAndSucceedAsync(string template)
    {
        var plan = await PlanAsync(template);
        var run = (await _service.ApplyAsync(Tenant, "shop", plan.PlanId, CancellationToken.None)).Value!;
        foreach (var step in (await StepsAsync(run)))
        {
            await PlayAsync(run, step, succeeded: true, read: step.Kind == StackItemKind.Appliance ? [new("1.3.6.1.4.1.8072.9999.1.1.1", "integer", "2")] : null);
            if (step.Kind == StackItemKind.Instance)
            {
                await _instances.ReserveAsync((await _instances.PrepareLaunchAsync(Tenant, new LaunchInstanceRequest(
                    step.Instance, null, new ZoneSelector(null, step.Launch!.Zones), new InstanceSize(step.Launch.VirtualCpus, step.Launch.MemoryMiB), "ubuntu",
                    new InstancePlacement(step.Launch.AntiAffinityGroup, step.Launch.SpreadGroup, step.Host), null, null), CancellationToken.None)).Value!, CancellationToken.None);
            }
        }

        await _service.FinishAsync(new StackRunEnd(Tenant, "shop", run.OperationId, run.Run, run.Kind, StackStatus.Succeeded, null), CancellationToken.None);
    }

    private int _sequence;

    private async Task PlayAsync(StackRun run, StackStep step, bool succeeded, IReadOnlyList<SnmpBinding>? read = null)
    {
        await _service.JournalAsync([new StackJournalEntry(Tenant, "shop", run.Run, _sequence++, step, StackStepPhase.Apply, Done: false)], CancellationToken.None);
        await _service.JournalAsync(
            [new StackJournalEntry(Tenant, "shop", run.Run, _sequence++, step, StackStepPhase.Apply, Done: true, succeeded, Reason: succeeded ? null : "boom", Read: read)], CancellationToken.None);
    }

    private Task<IReadOnlyList<StackStep>> StepsAsync(StackRun run) => _service.ApplyStepsAsync(Tenant, run.Stack, run.PlanId!, CancellationToken.None);

    private static StackPlanRequest Request(string template) => new(JsonDocument.Parse(template).RootElement, null);

    private static string Template(int webCount = 2, int vcpus = 1, string value = "1", string appliance = "lb-1", string pool = "web-pool") => $$$"""
        {"schemaVersion":1,
         "tiers":[{"name":"web","count":{{{webCount}}},"zoneSelector":{"zones":["dc-1","cloud-1"]},"size":{"vcpus":{{{vcpus}}},"memoryMiB":512},"image":"ubuntu","placement":{"spread":true}}],
         "appliances":[{"name":"lb","appliance":"{{{appliance}}}","members":["1"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.1.{member}","type":"i","value":"{{{value}}}"}],"dependsOn":["web"]}],
         "pools":[{"name":"pool","pool":"{{{pool}}}","tier":"web"}]}
        """;
}

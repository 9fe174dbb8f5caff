using Serverless.Contracts.Instances;
using Microsoft.Extensions.Options;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Placement;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Tests;

/// <summary>
/// Launch and action checks, placement with reservations (two launches racing for a host's last capacity: one wins),
/// and which action each state allows (<see cref="InstanceService"/>).
/// </summary>
public sealed class InstanceServiceTests
{
    private const string Tenant = "contoso";
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly InMemoryInstanceStores _managed = new();
    private readonly InMemoryResourceStores _resources = new();

    public InstanceServiceTests()
    {
        AddHost(_resources, "kvm-1", "dc-1", cpus: 2, memoryKiB: 4096 * 1024, images: "ubuntu");
        AddHost(_resources, "kvm-2", "cloud-1", cpus: 4, memoryKiB: 8192 * 1024, images: "ubuntu,alpine");
    }

    /// <summary>An instance service over in-memory stores: zones dc-1 (client) and cloud-1 (provider), both connected, no overcommit.</summary>
    public static InstanceService Create(InMemoryInstanceStores managed, InMemoryResourceStores resources, DateTimeOffset at, IHostAllocationStore? allocations = null)
    {
        var zones = new InMemoryZoneStore();
        var agents = new InMemoryAgentStores();
        foreach (var (zone, kind) in new[] { ("dc-1", ZoneKind.Client), ("cloud-1", ZoneKind.Provider) })
        {
            zones.TryAddAsync(new Zone(Tenant, zone, kind, null, at), CancellationToken.None).GetAwaiter().GetResult();
            agents.UpsertAsync(new AgentGroupConnectivity(Tenant, zone, AgentGroupStatus.Connected, at, at), CancellationToken.None).GetAwaiter().GetResult();
        }

        var clock = new ManualClock(at);
        return new InstanceService(
            managed, allocations ?? managed, resources, resources, zones, new ConnectivityService(agents, agents, Options.Create(new ConnectivityOptions()), clock),
            Options.Create(new PlacementOptions { CpuOvercommit = 1, MemoryOvercommit = 1 }), Options.Create(new RegistrationOptions()), clock);
    }

    [Fact]
    public async Task PrepareLaunch_SeveralBadFields_NamesEveryOne()
    {
        var outcome = await Service().PrepareLaunchAsync(Tenant, new LaunchInstanceRequest("Web 1", "no-such-zone", null, new InstanceSize(0, 10), null, null, null, null), CancellationToken.None);

        Assert.Equal(ErrorKind.Validation, outcome.Error!.Kind);
        Assert.Equal(["image", "name", "size.memoryMiB", "size.vcpus", "zone"], outcome.Error.Fields.Select(f => f.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PrepareLaunch_ImageNoHostOfTheZonesOffers_NamesItAndWhatIsOffered()
    {
        var outcome = await Service().PrepareLaunchAsync(Tenant, Launch("web-1", zone: "dc-1", image: "alpine"), CancellationToken.None);

        var error = Assert.Single(outcome.Error!.Fields);
        Assert.Equal(("image", "no compute host in [dc-1] offers 'alpine'; they offer: ubuntu."), (error.Field, error.Message));
    }

    [Fact]
    public async Task PrepareLaunch_ZoneSelectorByKind_ResolvesEveryZoneOfTheKind_AndAZoneOfAnotherKindIsNamed()
    {
        var service = Service();

        var plan = await service.PrepareLaunchAsync(Tenant, Launch("web-1", selector: new ZoneSelector(ZoneKind.Provider, null)), CancellationToken.None);
        var wrong = await service.PrepareLaunchAsync(Tenant, Launch("web-2", selector: new ZoneSelector(ZoneKind.Provider, ["dc-1"])), CancellationToken.None);

        Assert.Equal(["cloud-1"], (await _managed.GetAsync(Tenant, "web-1", CancellationToken.None))!.Zones);
        Assert.True(plan.Succeeded);
        Assert.Equal("'dc-1' is a client zone, not provider.", Assert.Single(wrong.Error!.Fields).Message);
    }

    [Fact]
    public async Task PrepareLaunches_Together_ReadTheCapacityAndTheirRecordsOnce_RecordEachUnderTheSharedOperation_RefusingOnlyWhatCannotBe()
    {
        var service = Service();
        await service.PrepareLaunchAsync(Tenant, Launch("taken"), CancellationToken.None);
        const string Operation = "0123456789abcdef0123456789abcdef";
        var (pagesBefore, readsBefore) = (_resources.ResourcePages, _managed.Reads);

        var outcomes = await service.PrepareLaunchesAsync(Tenant, [Launch("web-1"), Launch("taken"), Launch("web-2")], Operation, CancellationToken.None);

        Assert.Equal((1, 1), (_resources.ResourcePages - pagesBefore, _managed.Reads - readsBefore));
        Assert.Equal([true, false, true], outcomes.Select(o => o.Succeeded));
        Assert.Equal("The instance already exists.", outcomes[1].Error!.Title);
        Assert.Equal(["web-1", "web-2"], outcomes.Where(o => o.Succeeded).Select(o => o.Value!.Name));
        var records = (await _managed.ListAllAsync(Tenant, CancellationToken.None)).Where(r => r.Name != "taken").ToList();
        Assert.All(records, r => Assert.Equal((LifecycleState.Pending, Operation), (r.State, r.OperationId)));
        Assert.Equal(2, records.Count);
    }

    [Fact]
    public async Task PrepareLaunch_RepeatedWithItsClientRequestId_AnswersTheSameOperation_OtherwiseTheNameIsTaken()
    {
        var service = Service();

        var first = await service.PrepareLaunchAsync(Tenant, Launch("web-1", clientRequestId: "req-1"), CancellationToken.None);
        var repeat = await service.PrepareLaunchAsync(Tenant, Launch("web-1", clientRequestId: "req-1"), CancellationToken.None);
        var other = await service.PrepareLaunchAsync(Tenant, Launch("web-1", clientRequestId: "req-2"), CancellationToken.None);

        Assert.Equal((first.Value!.OperationId, true), (repeat.Value!.OperationId, repeat.Value.Resumed));
        Assert.Equal((ErrorKind.Conflict, "The instance already exists."), (other.Error!.Kind, other.Error.Title));
        Assert.Single(await _managed.ListAllAsync(Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task PrepareLaunch_NoHostCanTakeIt_IsRefusedAtOnceNamingEachHost()
    {
        var outcome = await Service().PrepareLaunchAsync(Tenant, Launch("big", selector: new ZoneSelector(null, ["dc-1", "cloud-1"]), vcpus: 5), CancellationToken.None);

        Assert.Equal(ErrorKind.Conflict, outcome.Error!.Kind);
        Assert.Equal("no host in [dc-1, cloud-1] can take 5 vCPU(s) and 1024 MiB with image 'ubuntu': kvm-1 has 2 vCPU(s) free; kvm-2 has 4 vCPU(s) free.", outcome.Error.Detail);
        Assert.Equal([new BlockingItem("host", "kvm-1", "kvm-1 has 2 vCPU(s) free"), new BlockingItem("host", "kvm-2", "kvm-2 has 4 vCPU(s) free")], outcome.Error.BlockingItems);
        Assert.Empty(await _managed.ListAllAsync(Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task Reserve_Repeated_KeepsOneReservationOnOneHost()
    {
        var service = Service();
        var plan = (await service.PrepareLaunchAsync(Tenant, Launch("web-1"), CancellationToken.None)).Value!;

        var first = await service.ReserveAsync(plan, CancellationToken.None);
        var again = await service.ReserveAsync(plan, CancellationToken.None);

        Assert.Equal((true, "kvm-1", "dc-1", "test:///kvm-1"), (first.Placed, first.HostId, first.Zone, first.HostUri));
        Assert.Equal(first, again);
        var allocation = Assert.Single(await _managed.ListAsync(Tenant, CancellationToken.None));
        Assert.Equal(["web-1"], allocation.Instances.Select(i => i.Name));

        await service.ReleaseAsync(Tenant, "kvm-1", "web-1", CancellationToken.None);
        Assert.Empty(Assert.Single(await _managed.ListAsync(Tenant, CancellationToken.None)).Instances);
    }

    [Fact]
    public async Task Reserve_TwoProcessesRacingForTheLastCapacity_ExactlyOneGetsIt_TheOtherIsFailedSayingWhy()
    {
        // Two services over one store: two Functions hosts, which only the host's ETag keeps apart.
        var rendezvous = new RendezvousAllocations(_managed, parties: 2);
        var services = new[] { Create(_managed, _resources, At, rendezvous), Create(_managed, _resources, At, rendezvous) };
        var plans = new List<LaunchPlan>();
        foreach (var name in new[] { "web-1", "web-2" })
        {
            plans.Add((await services[0].PrepareLaunchAsync(Tenant, Launch(name, zone: "dc-1", vcpus: 2), CancellationToken.None)).Value!);
        }

        rendezvous.Arm();
        var outcomes = await Task.WhenAll(plans.Select((p, i) => Task.Run(() => services[i].ReserveAsync(p, CancellationToken.None))));

        Assert.Single(outcomes, o => o.Placed);
        var refused = Assert.Single(outcomes, o => !o.Placed);
        Assert.Equal("placement: no host in [dc-1] can take 2 vCPU(s) and 1024 MiB with image 'ubuntu': kvm-1 has 0 vCPU(s) free.", refused.Reason);
        Assert.Single(Assert.Single(await _managed.ListAsync(Tenant, CancellationToken.None)).Instances);
        var failed = Assert.Single(await _managed.ListAllAsync(Tenant, CancellationToken.None), i => i.State == LifecycleState.Failed);
        Assert.Equal(refused.Reason, failed.Reason);
    }

    [Fact]
    public async Task Reserve_FiftyLaunchesAtOnceInOneProcess_AllLand_WithTheHostsWrittenOncePerBatchNotOncePerLaunch()
    {
        AddHost(_resources, "kvm-3", "cloud-1", cpus: 64, memoryKiB: 64L * 1024 * 1024, images: "ubuntu");
        var counting = new CountingAllocations(_managed);
        var service = Create(_managed, _resources, At, counting);
        var plans = new List<LaunchPlan>();
        for (var i = 0; i < 50; i++)
        {
            plans.Add((await service.PrepareLaunchAsync(Tenant, Launch($"web-{i}", zone: "cloud-1"), CancellationToken.None)).Value!);
        }

        var outcomes = await Task.WhenAll(plans.Select(p => Task.Run(() => service.ReserveAsync(p, CancellationToken.None))));

        Assert.All(outcomes, o => Assert.True(o.Placed, o.Reason));
        var reserved = (await _managed.ListAsync(Tenant, CancellationToken.None)).SelectMany(a => a.Instances.Select(i => i.Name)).Order().ToList();
        Assert.Equal(plans.Select(p => p.Name).Order(), reserved);
        Assert.All(await _managed.ListAllAsync(Tenant, CancellationToken.None), i => Assert.NotNull(i.HostId));
        Assert.InRange(counting.Writes, 1, 10);
    }

    [Fact]
    public async Task Adopt_CheckedAgainstTheHostAndTheName_ThenRecordedWithWhatTheHostReported_AndCountedOnTheHost()
    {
        var service = Service();
        var noHost = await service.PrepareAdoptAsync(Tenant, new AdoptInstanceRequest("kvm-9", "legacy", null, null), CancellationToken.None);
        Assert.Equal(["host"], noHost.Error!.Fields.Select(e => e.Field));

        var plan = (await service.PrepareAdoptAsync(Tenant, new AdoptInstanceRequest("kvm-1", "legacy", null, "adopt-1"), CancellationToken.None)).Value!;
        Assert.Equal(plan, (await service.PrepareAdoptAsync(Tenant, new AdoptInstanceRequest("kvm-1", "legacy", null, "adopt-1"), CancellationToken.None)).Value);
        Assert.False((await service.PrepareAdoptAsync(Tenant, new AdoptInstanceRequest("kvm-1", "legacy", null, null), CancellationToken.None)).Succeeded);

        var outcome = await service.RecordAdoptionAsync(
            new AdoptionResult(plan, new InstanceAdoptOutput("legacy", InstanceState.Paused, 2, 2048, null, Adopted: true), null), CancellationToken.None);

        Assert.Equal(LifecycleState.Suspended, outcome.State);
        var record = (await service.GetAsync(Tenant, "legacy", CancellationToken.None)).Value!;
        Assert.Equal((true, 2, 2048, LifecycleState.Suspended, "kvm-1"), (record.Adopted, record.VirtualCpus, record.MemoryMiB, record.State, record.HostId));
        var held = Assert.Single(Assert.Single(await _managed.ListAsync(Tenant, CancellationToken.None)).Instances);
        Assert.Equal(new InstanceAllocation("legacy", 2, 2048, null, null), held);
    }

    [Fact]
    public async Task Adopt_RefusedByTheHost_LeavesNoRecord()
    {
        var service = Service();
        var plan = (await service.PrepareAdoptAsync(Tenant, new AdoptInstanceRequest("kvm-1", "ghost", null, null), CancellationToken.None)).Value!;

        var outcome = await service.RecordAdoptionAsync(new AdoptionResult(plan, null, "the host has no domain named 'ghost'."), CancellationToken.None);

        Assert.Equal((LifecycleState.Failed, "not adopted: the host has no domain named 'ghost'."), (outcome.State, outcome.Reason));
        Assert.False((await service.GetAsync(Tenant, "ghost", CancellationToken.None)).Succeeded);
        Assert.Empty(await _managed.ListAsync(Tenant, CancellationToken.None));
    }

    [Theory]
    [InlineData(LifecycleState.Running, InstanceAction.Start, InstanceService.Effect.InEffect, LifecycleState.Running)]
    [InlineData(LifecycleState.Stopped, InstanceAction.Start, InstanceService.Effect.Allowed, LifecycleState.Starting)]
    [InlineData(LifecycleState.Suspended, InstanceAction.Start, InstanceService.Effect.Illegal, LifecycleState.Suspended)]
    [InlineData(LifecycleState.Running, InstanceAction.Stop, InstanceService.Effect.Allowed, LifecycleState.Stopping)]
    [InlineData(LifecycleState.Stopped, InstanceAction.Stop, InstanceService.Effect.InEffect, LifecycleState.Stopped)]
    [InlineData(LifecycleState.Stopped, InstanceAction.Restart, InstanceService.Effect.Illegal, LifecycleState.Stopped)]
    [InlineData(LifecycleState.Running, InstanceAction.Suspend, InstanceService.Effect.Allowed, LifecycleState.Running)]
    [InlineData(LifecycleState.Suspended, InstanceAction.Suspend, InstanceService.Effect.InEffect, LifecycleState.Suspended)]
    [InlineData(LifecycleState.Suspended, InstanceAction.Resume, InstanceService.Effect.Allowed, LifecycleState.Suspended)]
    [InlineData(LifecycleState.Pending, InstanceAction.Terminate, InstanceService.Effect.Illegal, LifecycleState.Pending)]
    [InlineData(LifecycleState.Failed, InstanceAction.Terminate, InstanceService.Effect.Allowed, LifecycleState.Terminating)]
    [InlineData(LifecycleState.Terminated, InstanceAction.Terminate, InstanceService.Effect.InEffect, LifecycleState.Terminated)]
    public void Transition_EachStateAndAction_IsInEffectAllowedOrIllegal(LifecycleState state, InstanceAction action, InstanceService.Effect effect, LifecycleState through) =>
        Assert.Equal((effect, through), InstanceService.Transition(state, action));

    [Fact]
    public async Task PrepareAction_InEffect_NeedsNoWork_Illegal_NamesTheState_AndOneAtATime()
    {
        var service = Service();
        await _managed.TryAddAsync(Instance("web-1", LifecycleState.Running), CancellationToken.None);

        var start = await service.PrepareActionAsync(Tenant, "web-1", InstanceAction.Start, null, CancellationToken.None);
        var resume = await service.PrepareActionAsync(Tenant, "web-1", InstanceAction.Resume, null, CancellationToken.None);
        var stop = await service.PrepareActionAsync(Tenant, "web-1", InstanceAction.Stop, null, CancellationToken.None);
        var again = await service.PrepareActionAsync(Tenant, "web-1", InstanceAction.Restart, null, CancellationToken.None);
        var missing = await service.PrepareActionAsync(Tenant, "web-9", InstanceAction.Stop, null, CancellationToken.None);

        Assert.Null(start.Value!.Plan);
        Assert.Null(resume.Value!.Plan);
        Assert.Equal((InstanceAction.Stop, LifecycleState.Running, LifecycleState.Stopping), (stop.Value!.Plan!.Action, stop.Value.Plan.Prior, stop.Value.Instance.State));
        Assert.Equal("Another action is under way.", again.Error!.Title);
        Assert.Equal(ErrorKind.NotFound, missing.Error!.Kind);

        await service.RecordStepAsync(Tenant, "web-1", stop.Value.Plan.OperationId, LifecycleState.Stopped, null, null, null, done: true, CancellationToken.None);
        var restart = await service.PrepareActionAsync(Tenant, "web-1", InstanceAction.Restart, null, CancellationToken.None);
        Assert.Equal(("The instance is stopped.", "'web-1' is stopped; it cannot restart now."), (restart.Error!.Title, restart.Error.Detail));
    }

    [Fact]
    public async Task RecordStep_OnlyTheOwningOperationRecords()
    {
        var service = Service();
        await _managed.TryAddAsync(Instance("web-1", LifecycleState.Running), CancellationToken.None);

        Assert.False(await service.RecordStepAsync(Tenant, "web-1", "someone-else", LifecycleState.Stopped, null, null, null, done: true, CancellationToken.None));
        Assert.Equal(LifecycleState.Running, (await _managed.GetAsync(Tenant, "web-1", CancellationToken.None))!.State);
    }

    [Fact]
    public async Task RecordStep_WithWhatTheHostReported_MovesTheHostsInventory_ReadingTheRecordOnce()
    {
        var service = Service();
        await _managed.TryAddAsync(Instance("web-1", LifecycleState.Starting), CancellationToken.None);
        var readsBefore = _managed.Reads;

        Assert.True(await service.RecordStepAsync(Tenant, "web-1", "op-1", LifecycleState.Running, null, InstanceState.Running, null, done: true, CancellationToken.None));

        Assert.Equal(1, _managed.Reads - readsBefore);
        var listed = Assert.Single(await ((IInstanceStore)_resources).ListAsync(Tenant, "kvm-1", CancellationToken.None));
        Assert.Equal(("web-1", "dc-1", InstanceState.Running), (listed.Name, listed.Zone, listed.State));

        Assert.True(await service.RecordStepAsync(Tenant, "web-1", "op-1", LifecycleState.Terminated, null, null, null, done: true, CancellationToken.None));
        Assert.Empty(await ((IInstanceStore)_resources).ListAsync(Tenant, "kvm-1", CancellationToken.None));
    }

    [Fact]
    public async Task UsesOf_ManagedInstancesOnTheHost_BlockItsUnregistration_ButNotTerminatedOnes()
    {
        var service = Service();
        await _managed.TryAddAsync(Instance("web-1", LifecycleState.Stopped), CancellationToken.None);
        await _managed.TryAddAsync(Instance("old", LifecycleState.Terminated), CancellationToken.None);

        var uses = await service.UsesOfAsync(Tenant, "kvm-1", CancellationToken.None);

        Assert.Equal(["web-1"], uses.Select(u => u.Id));
    }

    internal static void AddHost(InMemoryResourceStores resources, string id, string zone, int cpus, long memoryKiB, string images) =>
        TestResources.AddHost(resources, Tenant, id, zone, cpus, memoryKiB, images, At);

    private static LaunchInstanceRequest Launch(
        string name, string? zone = null, ZoneSelector? selector = null, string image = "ubuntu", int vcpus = 1, string? clientRequestId = null) =>
        new(name, selector is null ? zone ?? "dc-1" : null, selector, new InstanceSize(vcpus, 1024), image, null, null, clientRequestId);

    private static ManagedInstance Instance(string name, LifecycleState state) => new()
    {
        TenantId = Tenant,
        Name = name,
        Zones = ["dc-1"],
        VirtualCpus = 1,
        MemoryMiB = 512,
        Image = "ubuntu",
        State = state,
        OperationId = "op-1",
        Zone = "dc-1",
        HostId = "kvm-1",
        HostUri = "test:///kvm-1",
        CreatedAt = At,
        UpdatedAt = At,
    };

    private InstanceService Service() => Create(_managed, _resources, At);

    /// <summary>Holds every reader of the reservations until <c>parties</c> have read them: both launches see the same capacity.</summary>
    private sealed class RendezvousAllocations(IHostAllocationStore inner, int parties) : IHostAllocationStore
    {
        private readonly Barrier _barrier = new(parties);
        private int _reads;
        private volatile bool _armed;

        /// <summary>From now on, the first <c>parties</c> reads wait for each other.</summary>
        public void Arm() => _armed = true;

        public async Task<IReadOnlyList<HostAllocation>> ListAsync(string tenantId, CancellationToken cancellationToken)
        {
            var allocations = await inner.ListAsync(tenantId, cancellationToken);
            if (_armed && Interlocked.Increment(ref _reads) <= parties)
            {
                _barrier.SignalAndWait(TimeSpan.FromSeconds(10));
            }

            return allocations;
        }

        public Task<HostAllocation?> GetAsync(string tenantId, string hostId, CancellationToken cancellationToken) => inner.GetAsync(tenantId, hostId, cancellationToken);

        public Task<bool> TryWriteAsync(HostAllocation allocation, CancellationToken cancellationToken) => inner.TryWriteAsync(allocation, cancellationToken);
    }

    /// <summary>Counts the hosts' writes; each read takes a few milliseconds, as a table's does, so launches arriving meanwhile queue up.</summary>
    private sealed class CountingAllocations(IHostAllocationStore inner) : IHostAllocationStore
    {
        private int _writes;

        public int Writes => _writes;

        public async Task<IReadOnlyList<HostAllocation>> ListAsync(string tenantId, CancellationToken cancellationToken)
        {
            await Task.Delay(20, cancellationToken);
            return await inner.ListAsync(tenantId, cancellationToken);
        }

        public Task<HostAllocation?> GetAsync(string tenantId, string hostId, CancellationToken cancellationToken) => inner.GetAsync(tenantId, hostId, cancellationToken);

        public Task<bool> TryWriteAsync(HostAllocation allocation, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _writes);
            return inner.TryWriteAsync(allocation, cancellationToken);
        }
    }
}

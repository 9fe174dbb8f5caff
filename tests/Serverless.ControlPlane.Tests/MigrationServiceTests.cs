using Microsoft.Extensions.Options;
using Serverless.Contracts.Instances;
using Serverless.Contracts.Migrations;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Migrations;
using Serverless.ControlPlane.Placement;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Tests;

/// <summary>
/// Migration checks (every reason named; nothing recorded on a refusal), the instance marked migrating, target
/// reservations, commit and settling back, block sizes, and who gets a SAS when (<see cref="MigrationService"/>).
/// </summary>
public sealed class MigrationServiceTests
{
    private const string Tenant = "contoso";
    private static readonly DateTimeOffset At = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly InMemoryInstanceStores _managed = new();
    private readonly InMemoryResourceStores _resources = new();
    private readonly InMemoryPoolStore _pools = new();
    private readonly InMemoryMigrationStore _migrations = new();
    private readonly ManualClock _clock = new(At);
    private readonly InstanceService _instances;
    private readonly MigrationService _service;

    public MigrationServiceTests()
    {
        AddHost("kvm-1", "dc-1", ["compute", "migration"], memoryKiB: 4096 * 1024);
        AddHost("cloud-a", "cloud-1", ["compute", "migration"], memoryKiB: 2048 * 1024);
        AddHost("cloud-b", "cloud-1", ["compute"], memoryKiB: 8192 * 1024);
        _instances = InstanceServiceTests.Create(_managed, _resources, At);
        var zones = new InMemoryZoneStore();
        zones.TryAddAsync(new Zone(Tenant, "dc-1", ZoneKind.Client, null, At), CancellationToken.None).GetAwaiter().GetResult();
        zones.TryAddAsync(new Zone(Tenant, "cloud-1", ZoneKind.Provider, null, At), CancellationToken.None).GetAwaiter().GetResult();
        _service = new MigrationService(
            _migrations, _managed, _instances, _resources, zones, _pools, _migrations, Options.Create(new MigrationOptions()),
            Options.Create(new PlacementOptions { CpuOvercommit = 1, MemoryOvercommit = 1 }), _clock);
    }

    [Fact]
    public async Task Prepare_BadFields_NamesEachOne()
    {
        var outcome = await _service.PrepareAsync(Tenant, "web-1", new MigrateInstanceRequest("nowhere", null, "rehearse", 500), CancellationToken.None);

        Assert.Equal(ErrorKind.Validation, outcome.Error!.Kind);
        Assert.Equal(["mode", "retainHours", "targetZone"], outcome.Error.Fields.Select(f => f.Field).Order(StringComparer.Ordinal));
        Assert.Equal("there is no zone named 'nowhere'.", outcome.Error.Fields.Single(f => f.Field == "targetZone").Message);
        Assert.Equal("must be cutover or test.", outcome.Error.Fields.Single(f => f.Field == "mode").Message);
    }

    [Fact]
    public async Task Prepare_ATestMigration_RefusesRetainedBlobsAndAHealthCheck()
    {
        await RunningAsync("web-1");

        var outcome = await _service.PrepareAsync(Tenant, "web-1", new MigrateInstanceRequest("cloud-1", null, "test", 2, new MigrationHealthCheck(22, null, null)), CancellationToken.None);

        Assert.Equal(["healthCheck", "retainHours"], outcome.Error!.Fields.Select(f => f.Field).Order(StringComparer.Ordinal));
        Assert.Empty(await _migrations.ListAsync(Tenant, CancellationToken.None));
        Assert.Equal(LifecycleState.Running, (await _managed.GetAsync(Tenant, "web-1", CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Prepare_ATestMigration_ToAHostWhoseAgentCannotMakeADetachedCopy_IsRefusedNamingIt()
    {
        AddHost("cloud-old", "cloud-1", ["compute", "migration"], memoryKiB: 8192 * 1024, testCopy: false);
        await RunningAsync("web-1");

        var outcome = await _service.PrepareAsync(Tenant, "web-1", new MigrateInstanceRequest(null, "cloud-old", "test", null), CancellationToken.None);

        var blocking = Assert.Single(outcome.Error!.BlockingItems);
        Assert.Equal("cloud-old", blocking.Id);
        Assert.Contains("cannot make a detached test copy", blocking.Detail, StringComparison.Ordinal);
        Assert.Equal(LifecycleState.Running, (await _managed.GetAsync(Tenant, "web-1", CancellationToken.None))!.State);
        Assert.True((await _service.PrepareAsync(Tenant, "web-1", new MigrateInstanceRequest(null, "cloud-old", null, null), CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Prepare_ATestMigration_IsRecordedAndPlannedAsOne()
    {
        await RunningAsync("web-1");

        var plan = (await _service.PrepareAsync(Tenant, "web-1", new MigrateInstanceRequest("cloud-1", null, "test", null), CancellationToken.None)).Value!;

        Assert.Equal(MigrationMode.Test, plan.Mode);
        var record = (await _migrations.GetAsync(Tenant, plan.MigrationId, CancellationToken.None))!;
        Assert.Equal((MigrationMode.Test, (bool?)null), (record.Mode, record.CutoverWouldSucceed));

        await _service.EndAsync(Tenant, plan.MigrationId, MigrationStatus.Succeeded, null, [], CancellationToken.None, cutoverWouldSucceed: true);
        Assert.True((await _migrations.GetAsync(Tenant, plan.MigrationId, CancellationToken.None))!.CutoverWouldSucceed);
    }

    [Theory]
    [InlineData(null, null, 30, "healthCheck.port")]
    [InlineData(70_000, null, null, "healthCheck.port")]
    [InlineData(22, "web 1!", null, "healthCheck.address")]
    [InlineData(22, "", null, "healthCheck.address")]
    [InlineData(22, null, 0, "healthCheck.timeoutSeconds")]
    [InlineData(22, null, 601, "healthCheck.timeoutSeconds")]
    public async Task Prepare_ABadHealthCheck_NamesTheField(int? port, string? address, int? timeoutSeconds, string field)
    {
        await RunningAsync("web-1");

        var outcome = await _service.PrepareAsync(Tenant, "web-1", new MigrateInstanceRequest("cloud-1", null, null, null, new MigrationHealthCheck(port, address, timeoutSeconds)), CancellationToken.None);

        Assert.Equal(field, Assert.Single(outcome.Error!.Fields).Field);
    }

    [Fact]
    public async Task Prepare_AHealthCheck_GoesIntoThePlan_WithItsDefaultTimeout()
    {
        await RunningAsync("web-1");

        var plan = (await _service.PrepareAsync(Tenant, "web-1", new MigrateInstanceRequest("cloud-1", null, null, null, new MigrationHealthCheck(22, null, null)), CancellationToken.None)).Value!;

        Assert.Equal(new MigrationHealthCheck(22, null, MigrationService.DefaultHealthCheckSeconds), plan.HealthCheck);
    }

    [Fact]
    public async Task Prepare_TheZonesOnlyMigrationHostIsFull_AndAnotherIsNotForMigration_NamesBoth_AndRecordsNothing()
    {
        await RunningAsync("web-1", memoryMiB: 3072);

        var outcome = await _service.PrepareAsync(Tenant, "web-1", new MigrateInstanceRequest("cloud-1", null, null, null), CancellationToken.None);

        Assert.Equal(ErrorKind.Conflict, outcome.Error!.Kind);
        Assert.Equal(["cloud-a", "cloud-b"], outcome.Error.BlockingItems.Select(b => b.Id).Order(StringComparer.Ordinal));
        Assert.Contains("is not registered for migration", outcome.Error.BlockingItems.Single(b => b.Id == "cloud-b").Detail, StringComparison.Ordinal);
        Assert.Contains("MiB", outcome.Error.BlockingItems.Single(b => b.Id == "cloud-a").Detail, StringComparison.Ordinal);
        Assert.Empty(await _migrations.ListAsync(Tenant, CancellationToken.None));
        Assert.Equal(LifecycleState.Running, (await _managed.GetAsync(Tenant, "web-1", CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Prepare_Accepted_MarksTheInstanceMigrating_SoASecondMigrationIsRefused()
    {
        await RunningAsync("web-1");

        var plan = (await _service.PrepareAsync(Tenant, "web-1", new MigrateInstanceRequest("cloud-1", null, null, 2), CancellationToken.None)).Value!;
        var again = await _service.PrepareAsync(Tenant, "web-1", new MigrateInstanceRequest(null, "cloud-a", null, null), CancellationToken.None);

        Assert.Equal(("kvm-1", "cloud-a", "test:///cloud-a", 2), (plan.SourceHost, plan.TargetHost, plan.TargetUri, plan.RetainHours));
        var instance = (await _managed.GetAsync(Tenant, "web-1", CancellationToken.None))!;
        Assert.Equal((LifecycleState.Migrating, InstanceAction.Migrate, plan.MigrationId), (instance.State, instance.PendingAction, instance.OperationId));
        var record = (await _migrations.GetAsync(Tenant, plan.MigrationId, CancellationToken.None))!;
        Assert.Equal((MigrationPhase.Preflight, MigrationStatus.Running), (record.Phase, record.Status));
        Assert.Contains("is carrying out migrate", Assert.Single(again.Error!.BlockingItems).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commit_MovesTheRecordAndItsPoolMember_AndGivesTheSourceReservationBack()
    {
        await RunningAsync("web-1");
        await _pools.TryAddAsync(new PoolDefinition(Tenant, "web", ServiceKind.Compute,
            [new PoolMember("m-1", "kvm-1", "dc-1", null, "web-1"), new PoolMember("m-2", "kvm-1", "dc-1", null, "other")],
            new PoolPolicy("cpu.load", 0.8, 60, 0.2, 120, 60, 1, 2, 1, MemberPreference.ClientFirst), At, At), CancellationToken.None);
        var plan = (await _service.PrepareAsync(Tenant, "web-1", new MigrateInstanceRequest("cloud-1", null, null, null), CancellationToken.None)).Value!;
        Assert.Null(await _service.ReserveTargetAsync(plan, CancellationToken.None));
        Assert.Null(await _service.ReserveTargetAsync(plan, CancellationToken.None));

        await _service.CommitAsync(plan, new InstanceVolume("images", "web-1.qcow2", "/pool/web-1.qcow2"), CancellationToken.None);

        var instance = (await _managed.GetAsync(Tenant, "web-1", CancellationToken.None))!;
        Assert.Equal(("cloud-1", "cloud-a", LifecycleState.Running, null), (instance.Zone, instance.HostId, instance.State, instance.PendingAction));
        Assert.Equal("/pool/web-1.qcow2", instance.Volume!.Path);
        Assert.Empty(await AllocationNamesAsync("kvm-1"));
        Assert.Equal(["web-1"], await AllocationNamesAsync("cloud-a"));
        var members = (await _pools.GetAsync(Tenant, "web", CancellationToken.None))!.Members;
        Assert.Equal([("m-1", "cloud-a", "cloud-1"), ("m-2", "kvm-1", "dc-1")], members.Select(m => (m.MemberId, m.ResourceId, m.Zone)));
    }

    [Fact]
    public async Task SettleAtSource_AfterAFallback_KeepsItRunningWhereItWas_AndGivesTheTargetReservationBack()
    {
        await RunningAsync("web-1");
        var plan = (await _service.PrepareAsync(Tenant, "web-1", new MigrateInstanceRequest("cloud-1", null, null, null), CancellationToken.None)).Value!;
        await _service.ReserveTargetAsync(plan, CancellationToken.None);

        await _service.SettleAtSourceAsync(plan, sourceRunning: true, "restore at the target failed: checksum mismatch", CancellationToken.None);
        await _service.EndAsync(Tenant, plan.MigrationId, MigrationStatus.RolledBack, "restore at the target failed: checksum mismatch", [], CancellationToken.None);

        var instance = (await _managed.GetAsync(Tenant, "web-1", CancellationToken.None))!;
        Assert.Equal(("kvm-1", LifecycleState.Running, null), (instance.HostId, instance.State, instance.PendingAction));
        Assert.Contains("checksum mismatch", instance.Reason, StringComparison.Ordinal);
        Assert.Empty(await AllocationNamesAsync("cloud-a"));
        Assert.Equal(["web-1"], await AllocationNamesAsync("kvm-1"));
        var record = (await _migrations.GetAsync(Tenant, plan.MigrationId, CancellationToken.None))!;
        Assert.Equal((MigrationPhase.Done, MigrationStatus.RolledBack), (record.Phase, record.Status));
        Assert.All(record.Phases, p => Assert.NotNull(p.EndedAt));
    }

    [Fact]
    public async Task Grant_OnlyToTheSourceWhileUploading_AndToTheTargetWhileRestoring()
    {
        await RunningAsync("web-1");
        var plan = (await _service.PrepareAsync(Tenant, "web-1", new MigrateInstanceRequest("cloud-1", null, null, null), CancellationToken.None)).Value!;
        var source = new AgentIdentity(Tenant, "agent-dc", "dc-1", "cred-1");
        var target = new AgentIdentity(Tenant, "agent-cloud", "cloud-1", "cred-2");
        BlobAccessRequest Ask(BlobAccess access) => new(1, plan.MigrationId, TransferArtifact.State, access);

        var tooEarly = await _service.GrantAsync(source, Ask(BlobAccess.Write), CancellationToken.None);
        await _service.RecordPhaseAsync(Tenant, plan.MigrationId, MigrationPhase.Upload, null, CancellationToken.None);
        var wrongGroup = await _service.GrantAsync(target, Ask(BlobAccess.Write), CancellationToken.None);
        var readTooEarly = await _service.GrantAsync(target, Ask(BlobAccess.Read), CancellationToken.None);
        var write = await _service.GrantAsync(source, Ask(BlobAccess.Write), CancellationToken.None);
        await _service.RecordPhaseAsync(Tenant, plan.MigrationId, MigrationPhase.Restore, null, CancellationToken.None);
        var read = await _service.GrantAsync(target, Ask(BlobAccess.Read), CancellationToken.None);
        var unknown = await _service.GrantAsync(source, new BlobAccessRequest(1, "no-such", TransferArtifact.State, BlobAccess.Write), CancellationToken.None);

        Assert.Equal([ErrorKind.Conflict, ErrorKind.Conflict, ErrorKind.Conflict, ErrorKind.NotFound], new[] { tooEarly, wrongGroup, readTooEarly, unknown }.Select(o => o.Error!.Kind));
        Assert.True(write.Succeeded && read.Succeeded);
        Assert.Equal([(BlobAccess.Write, At.AddMinutes(60)), (BlobAccess.Read, At.AddMinutes(60))], _migrations.Grants.Select(g => (g.Access, g.ExpiresAt)));
    }

    [Theory]
    [InlineData(1L << 30, 8 * 1024 * 1024)]
    [InlineData(400L * 1024 * 1024 * 1024, 9 * 1024 * 1024)]
    [InlineData(1L << 40, 21 * 1024 * 1024)]
    public void TuningFor_AFileBeyond50000Blocks_GetsLargerBlocksInWholeMiB(long bytes, int blockSize)
    {
        var tuning = MigrationService.TuningFor(new TransferTuning(8 * 1024 * 1024, 8), bytes);

        Assert.Equal((blockSize, 8), (tuning.BlockSizeBytes, tuning.Concurrency));
        Assert.True((bytes + tuning.BlockSizeBytes - 1) / tuning.BlockSizeBytes <= 50_000);
    }

    private async Task<List<string>> AllocationNamesAsync(string host) =>
        [.. (await ((IHostAllocationStore)_managed).GetAsync(Tenant, host, CancellationToken.None))?.Instances.Select(i => i.Name) ?? []];

    private async Task RunningAsync(string name, int memoryMiB = 512)
    {
        var record = new ManagedInstance
        {
            TenantId = Tenant,
            Name = name,
            Zones = ["dc-1"],
            VirtualCpus = 1,
            MemoryMiB = memoryMiB,
            Image = "ubuntu",
            State = LifecycleState.Running,
            OperationId = "op-launch",
            Zone = "dc-1",
            HostId = "kvm-1",
            HostUri = "test:///kvm-1",
            Volume = new InstanceVolume("images", $"{name}.qcow2", $"/src/{name}.qcow2"),
            CreatedAt = At,
            UpdatedAt = At,
        };
        Assert.True(await _managed.TryAddAsync(record, CancellationToken.None));
        Assert.True(await ((IHostAllocationStore)_managed).TryWriteAsync(new HostAllocation(Tenant, "kvm-1", [new InstanceAllocation(name, 1, memoryMiB, null, null)]), CancellationToken.None));
    }

    private void AddHost(string id, string zone, IReadOnlyList<string> categories, long memoryKiB, bool testCopy = true) =>
        _resources.UpsertAsync(
            new ResourceRegistration(Tenant, id, zone, ResourceKind.VirtualizationHost, $"test:///{id}", null, categories, RegistrationState.Registered, [],
                new Dictionary<string, string>
                {
                    ["libvirt.cpus"] = "4",
                    ["libvirt.memoryKiB"] = $"{memoryKiB}",
                    ["libvirt.images"] = "ubuntu",
                    ["libvirt.saveRestore"] = "true",
                    ["migration.testCopy"] = testCopy ? "true" : "false",
                },
                "op-0", At, At),
            CancellationToken.None).GetAwaiter().GetResult();
}

using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Instances;

namespace Serverless.ControlPlane.Tests;

/// <summary>What state sync makes of a host's report: for a settled instance (<see cref="InstanceReconciler.Drift"/>) and for the host's inventory.</summary>
public sealed class InstanceReconcilerTests
{
    private static readonly DateTimeOffset AskedAt = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private readonly InMemoryInstanceStores _managed = new();
    private readonly InMemoryResourceStores _resources = new();
    private readonly ManualClock _clock = new(AskedAt.AddSeconds(5));

    public InstanceReconcilerTests()
    {
        TestResources.AddHost(_resources, "contoso", "kvm-dc", "dc-1", cpus: 4, memoryKiB: 4096 * 1024, images: "ubuntu", AskedAt.AddDays(-1));
        TestResources.AddHost(_resources, "contoso", "kvm-cloud", "cloud-1", cpus: 4, memoryKiB: 4096 * 1024, images: "ubuntu", AskedAt.AddDays(-1));
    }

    [Theory]
    [InlineData(LifecycleState.Running, InstanceState.Running, LifecycleState.Running, false)]
    [InlineData(LifecycleState.Running, InstanceState.ShutOff, LifecycleState.Stopped, true)]
    [InlineData(LifecycleState.Running, InstanceState.Crashed, LifecycleState.Stopped, true)]
    [InlineData(LifecycleState.Running, InstanceState.Paused, LifecycleState.Suspended, true)]
    [InlineData(LifecycleState.Stopped, InstanceState.Running, LifecycleState.Running, true)]
    [InlineData(LifecycleState.Suspended, InstanceState.Running, LifecycleState.Running, true)]
    [InlineData(LifecycleState.Running, null, LifecycleState.Failed, true)]
    [InlineData(LifecycleState.Running, InstanceState.ShuttingDown, LifecycleState.Running, false)]
    [InlineData(LifecycleState.Pending, InstanceState.Running, LifecycleState.Pending, false)]
    [InlineData(LifecycleState.Terminating, null, LifecycleState.Terminating, false)]
    public void Drift_HostReport_MovesOnlySettledInstances_SayingWhy(LifecycleState recorded, InstanceState? reported, LifecycleState expected, bool drifted)
    {
        var (state, reason) = InstanceReconciler.Drift(Instance(recorded), reported);

        Assert.Equal(expected, state);
        Assert.Equal(drifted, reason is not null);
        Assert.True(reason is null || reason.StartsWith("drift: ", StringComparison.Ordinal), reason);
    }

    [Fact]
    public async Task Report_AskedBeforeAMigrationsCommit_DoesNotPutTheInstanceBackOnItsSource()
    {
        // The commit moved web-1 to the cloud host after the source host was asked, and took it out of the source's inventory.
        await _managed.TryAddAsync(Instance(LifecycleState.Running) with { HostId = "kvm-cloud", Zone = "cloud-1", UpdatedAt = AskedAt.AddSeconds(2) }, CancellationToken.None);
        await _resources.UpsertAsync(new ResourceInstance("contoso", "kvm-cloud", "cloud-1", "web-1", InstanceState.Running, AskedAt.AddSeconds(2)), CancellationToken.None);

        await Reconciler().ApplyReportAsync("contoso", "kvm-dc", AskedAt, Report(("web-1", InstanceState.Running), ("by-hand", InstanceState.ShutOff)), CancellationToken.None);

        Assert.Equal(["by-hand:ShutOff"], await InventoryAsync("kvm-dc"));
        Assert.Equal(["web-1:Running"], await InventoryAsync("kvm-cloud"));
    }

    [Fact]
    public async Task Report_AskedBeforeALaunchFinished_KeepsWhatTheLaunchRecorded_AndOtherwiseReplacesTheInventory()
    {
        await _managed.TryAddAsync(Instance(LifecycleState.Running) with { HostId = "kvm-dc", Zone = "dc-1", UpdatedAt = AskedAt.AddSeconds(1) }, CancellationToken.None);
        await _resources.UpsertAsync(new ResourceInstance("contoso", "kvm-dc", "dc-1", "web-1", InstanceState.Running, AskedAt.AddSeconds(1)), CancellationToken.None);
        await _resources.UpsertAsync(new ResourceInstance("contoso", "kvm-dc", "dc-1", "removed-by-hand", InstanceState.Running, AskedAt.AddDays(-1)), CancellationToken.None);

        await Reconciler().ApplyReportAsync("contoso", "kvm-dc", AskedAt, Report(("made-by-hand", InstanceState.Running)), CancellationToken.None);

        Assert.Equal(["made-by-hand:Running", "web-1:Running"], await InventoryAsync("kvm-dc"));
    }

    [Fact]
    public async Task Report_AskedAfterTheLastChange_IsTheWholeInventory()
    {
        await _managed.TryAddAsync(Instance(LifecycleState.Running) with { HostId = "kvm-dc", Zone = "dc-1", UpdatedAt = AskedAt.AddSeconds(-1) }, CancellationToken.None);
        await _resources.UpsertAsync(new ResourceInstance("contoso", "kvm-dc", "dc-1", "web-1", InstanceState.Running, AskedAt.AddSeconds(-1)), CancellationToken.None);

        var moved = await Reconciler().ApplyReportAsync("contoso", "kvm-dc", AskedAt, Report(("web-1", InstanceState.Paused)), CancellationToken.None);

        Assert.Equal(["web-1:Paused"], await InventoryAsync("kvm-dc"));
        Assert.Equal((1, LifecycleState.Suspended), (moved, (await _managed.GetAsync("contoso", "web-1", CancellationToken.None))!.State));
    }

    private InstanceReconciler Reconciler()
    {
        var agents = new InMemoryAgentStores();
        var connectivity = new ConnectivityService(agents, agents, Options.Create(new ConnectivityOptions()), _clock);
        var recorder = new CommandRecorder();
        return new InstanceReconciler(_managed, _resources, _resources, connectivity,
            new CommandService(recorder, recorder, recorder, connectivity, Options.Create(new CommandChannelOptions())), _clock);
    }

    private async Task<string[]> InventoryAsync(string hostId) =>
        [.. (await _resources.ListAsync("contoso", hostId, CancellationToken.None)).Select(i => $"{i.Name}:{i.State}").Order(StringComparer.Ordinal)];

    private static CommandResult Report(params (string Name, InstanceState State)[] domains)
    {
        var output = JsonSerializer.SerializeToElement(
            new InstanceListOutput("test:///kvm-dc", [.. domains.Select(d => new HostInstance(d.Name, d.State))]), ContractsJsonContext.Default.InstanceListOutput);
        var at = AskedAt.AddSeconds(1);
        return new CommandResult(SchemaVersions.Current, "cmd-1", "contoso", "dc-1", "agent-1", CommandKinds.ListInstances, CommandStatus.Succeeded,
            output, null, new CommandTimings(at, at, at), new CommandCorrelation(null, null), null);
    }

    private static ManagedInstance Instance(LifecycleState state) => new()
    {
        TenantId = "contoso",
        Name = "web-1",
        Zones = ["dc-1"],
        VirtualCpus = 1,
        MemoryMiB = 512,
        Image = "ubuntu",
        State = state,
        OperationId = "op-1",
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}

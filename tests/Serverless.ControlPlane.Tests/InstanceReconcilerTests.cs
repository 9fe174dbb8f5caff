using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Instances;

namespace Serverless.ControlPlane.Tests;

/// <summary>What state sync makes of a host's report for a settled instance (<see cref="InstanceReconciler.Drift"/>).</summary>
public sealed class InstanceReconcilerTests
{
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

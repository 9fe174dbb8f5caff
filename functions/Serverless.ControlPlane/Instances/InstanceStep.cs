using Serverless.Contracts.Instances;

namespace Serverless.ControlPlane.Instances;

/// <summary>A step of an instance workflow to record: the state it reached, why, what the host said, the disk once cloned.</summary>
public sealed record InstanceStep(
    string TenantId, string Name, string OperationId, LifecycleState State, string? Reason, InstanceState? Observed = null, InstanceVolume? Volume = null, bool Done = false);

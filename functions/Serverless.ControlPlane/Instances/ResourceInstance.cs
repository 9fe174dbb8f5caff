using Serverless.Contracts.Instances;

namespace Serverless.ControlPlane.Instances;

/// <summary>An instance (libvirt domain) on a registered virtualization host, in the host's zone.</summary>
public sealed record ResourceInstance(string TenantId, string ResourceId, string Zone, string Name, InstanceState State, DateTimeOffset UpdatedAt)
{
    /// <summary>Whether the instance holds its host: anything but off. Such instances block unregistering the host.</summary>
    public bool IsActive => State is not (InstanceState.ShutOff or InstanceState.Crashed);
}

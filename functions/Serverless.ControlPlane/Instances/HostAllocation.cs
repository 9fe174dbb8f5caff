namespace Serverless.ControlPlane.Instances;

/// <summary>
/// A host's reservations: the instances placed on it. Written conditionally on its <see cref="ETag"/>, so of two launches
/// racing for a host's last capacity exactly one gets it.
/// </summary>
public sealed record HostAllocation(string TenantId, string HostId, IReadOnlyList<InstanceAllocation> Instances, string? ETag = null)
{
    public int VirtualCpus => Instances.Sum(i => i.VirtualCpus);

    public long MemoryMiB => Instances.Sum(i => (long)i.MemoryMiB);
}

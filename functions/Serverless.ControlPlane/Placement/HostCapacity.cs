namespace Serverless.ControlPlane.Placement;

/// <summary>
/// A compute host as placement sees it: what it has (node info) and what our instances on it already hold
/// (reservations included).
/// </summary>
/// <param name="HostId">The registered resource's id.</param>
/// <param name="Zone">Its zone.</param>
/// <param name="Usable">Registered, for <c>compute</c>.</param>
/// <param name="Connected">Its zone's agent group is connected.</param>
/// <param name="Cpus">The host's CPUs.</param>
/// <param name="MemoryMiB">The host's memory.</param>
/// <param name="Images">The images the host offers.</param>
/// <param name="UsedVirtualCpus">vCPUs our instances on it hold.</param>
/// <param name="UsedMemoryMiB">Memory our instances on it hold.</param>
public sealed record HostCapacity(
    string HostId,
    string Zone,
    bool Usable,
    bool Connected,
    int Cpus,
    long MemoryMiB,
    IReadOnlySet<string> Images,
    int UsedVirtualCpus,
    long UsedMemoryMiB);

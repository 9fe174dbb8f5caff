namespace Serverless.Libvirt;

/// <summary>A domain as the host reports it.</summary>
/// <param name="Name">The domain's name, unique on the host.</param>
/// <param name="Uuid">The domain's UUID.</param>
/// <param name="State">Its state now.</param>
/// <param name="MaxMemoryKiB">The most memory it may use.</param>
/// <param name="MemoryKiB">The memory it uses.</param>
/// <param name="VirtualCpus">Its virtual CPUs.</param>
/// <param name="CpuTime">CPU time it has used.</param>
/// <param name="Persistent">Whether it is defined (survives shutdown) rather than transient.</param>
public sealed record DomainInfo(string Name, Guid Uuid, DomainState State, ulong MaxMemoryKiB, ulong MemoryKiB, int VirtualCpus, TimeSpan CpuTime, bool Persistent);

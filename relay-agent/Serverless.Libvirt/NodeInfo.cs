namespace Serverless.Libvirt;

/// <summary>The host's hardware as libvirt reports it (virNodeInfo).</summary>
/// <param name="CpuModel">CPU model or architecture string.</param>
/// <param name="MemoryKiB">Memory in KiB.</param>
/// <param name="Cpus">Active CPUs.</param>
/// <param name="Mhz">CPU frequency.</param>
/// <param name="NumaNodes">NUMA cells.</param>
/// <param name="Sockets">Sockets per node.</param>
/// <param name="Cores">Cores per socket.</param>
/// <param name="Threads">Threads per core.</param>
public sealed record NodeInfo(string CpuModel, ulong MemoryKiB, int Cpus, int Mhz, int NumaNodes, int Sockets, int Cores, int Threads);

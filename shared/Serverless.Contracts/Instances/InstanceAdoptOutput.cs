namespace Serverless.Contracts.Instances;

/// <summary>The adopted domain as the host has it: its state, size and, when a storage pool holds it, its disk.</summary>
/// <param name="Name">The domain's name.</param>
/// <param name="State">Its state now.</param>
/// <param name="VirtualCpus">Its vCPUs.</param>
/// <param name="MemoryMiB">Its maximum memory.</param>
/// <param name="Volume">Its first disk, when that is a volume of a storage pool (terminating the instance deletes it); null otherwise.</param>
/// <param name="Adopted">False when the domain already carried the instance's id (a repeated delivery).</param>
public sealed record InstanceAdoptOutput(string Name, InstanceState State, int VirtualCpus, int MemoryMiB, InstanceVolume? Volume, bool Adopted);

namespace Serverless.Libvirt;

/// <summary>A volume in a storage pool.</summary>
/// <param name="Pool">The pool's name.</param>
/// <param name="Name">The volume's name, unique in its pool.</param>
/// <param name="Path">Where the host keeps it (a file for a <c>dir</c> pool): what a domain's disk points at.</param>
/// <param name="Format">Its format (<c>qcow2</c>, <c>raw</c>), from its XML; <c>raw</c> when it names none.</param>
/// <param name="CapacityBytes">Its size as a guest sees it.</param>
/// <param name="AllocationBytes">What it takes on the host.</param>
public sealed record StorageVolumeInfo(string Pool, string Name, string Path, string Format, ulong CapacityBytes, ulong AllocationBytes);

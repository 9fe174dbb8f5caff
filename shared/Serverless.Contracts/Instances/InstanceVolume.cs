namespace Serverless.Contracts.Instances;

/// <summary>An instance's disk: a volume in a libvirt storage pool.</summary>
/// <param name="Pool">The storage pool.</param>
/// <param name="Name">The volume's name in the pool.</param>
/// <param name="Path">Where the host keeps it.</param>
public sealed record InstanceVolume(string Pool, string Name, string Path);

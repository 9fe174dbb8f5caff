namespace Serverless.ControlPlane.Instances;

/// <summary>What one instance holds on its host.</summary>
public sealed record InstanceAllocation(string Name, int VirtualCpus, int MemoryMiB, string? AntiAffinityGroup, string? SpreadGroup);

namespace Serverless.ControlPlane.Instances;

/// <summary>How big an instance is.</summary>
/// <param name="Vcpus">Virtual CPUs.</param>
/// <param name="MemoryMiB">Memory in MiB.</param>
public sealed record InstanceSize(int? Vcpus, int? MemoryMiB);

namespace Serverless.ControlPlane.Placement;

/// <summary>What an instance needs from a host.</summary>
/// <param name="VirtualCpus">vCPUs it is given.</param>
/// <param name="MemoryMiB">Memory it is given.</param>
/// <param name="Image">The image its disk is cloned from; the host must offer it.</param>
/// <param name="Zones">The zones it may run in, in the caller's order (a zone selector already resolved).</param>
/// <param name="AntiAffinityGroup">Never two instances of this group on one host.</param>
/// <param name="SpreadGroup">Instances of this group are spread across zones first, then across hosts.</param>
public sealed record PlacementQuery(int VirtualCpus, int MemoryMiB, string Image, IReadOnlyList<string> Zones, string? AntiAffinityGroup = null, string? SpreadGroup = null);

namespace Serverless.ControlPlane.Placement;

/// <summary>The host chosen, or why none: one reason per host in the allowed zones that could not take the instance.</summary>
/// <param name="HostId">The chosen host, or null when refused.</param>
/// <param name="Zone">The chosen host's zone.</param>
/// <param name="Refusals">Each host that was passed over and why, in host order ("kvm-1 has 2 vCPUs free").</param>
/// <param name="Explanation">When refused: one sentence naming the zones, the need and every host's reason.</param>
public sealed record PlacementDecision(string? HostId, string? Zone, IReadOnlyList<string> Refusals, string? Explanation)
{
    public bool Placed => HostId is not null;
}

namespace Serverless.ControlPlane.Instances;

/// <summary>Placement constraints of a launch.</summary>
/// <param name="AntiAffinityGroup">Never two instances of this group on one host.</param>
/// <param name="Spread">Instances naming the same spread group are spread across zones first, then hosts.</param>
public sealed record InstancePlacement(string? AntiAffinityGroup, string? Spread);

namespace Serverless.ControlPlane.Instances;

/// <summary>Placement constraints of a launch.</summary>
/// <param name="AntiAffinityGroup">Never two instances of this group on one host.</param>
/// <param name="Spread">Instances naming the same spread group are spread across zones first, then hosts.</param>
/// <param name="Host">Only this registered host may take it (as a stack's plan chose); placement's other rules still apply.</param>
public sealed record InstancePlacement(string? AntiAffinityGroup, string? Spread, string? Host = null);

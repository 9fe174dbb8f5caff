namespace Serverless.ControlPlane.Instances;

/// <summary>What a listing keeps: every given criterion must hold.</summary>
/// <param name="Zone">Placed in this zone.</param>
/// <param name="Host">Placed on this host.</param>
/// <param name="State">In this state.</param>
/// <param name="Tag">Carrying this tag, as <c>key=value</c> (or just <c>key</c>: any value).</param>
public sealed record InstanceFilter(string? Zone, string? Host, LifecycleState? State, string? Tag);

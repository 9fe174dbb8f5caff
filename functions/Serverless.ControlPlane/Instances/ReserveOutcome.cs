namespace Serverless.ControlPlane.Instances;

/// <summary>Where a launch's reservation landed, or why it did not.</summary>
/// <param name="Placed">Whether the instance holds capacity on a host now.</param>
/// <param name="HostId">The host.</param>
/// <param name="Zone">The host's zone.</param>
/// <param name="HostUri">The host's libvirt URI.</param>
/// <param name="Reason">When not placed: why (placement's explanation, or the launch no longer owning the record).</param>
public sealed record ReserveOutcome(bool Placed, string? HostId, string? Zone, string? HostUri, string? Reason);

namespace Serverless.ControlPlane.Registration;

/// <summary>A pool member on a resource being unregistered by force: deactivated first, then left in its pool, unusable.</summary>
public sealed record PoolMemberDrain(string PoolId, string MemberId, string? Index, string? Instance);

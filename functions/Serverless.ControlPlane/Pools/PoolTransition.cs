namespace Serverless.ControlPlane.Pools;

/// <summary>A member's next state, written only if its row is still at <paramref name="ExpectedETag"/> (absent when null).</summary>
public sealed record PoolTransition(PoolMemberStatus Next, string? ExpectedETag);

namespace Serverless.ControlPlane.Pools;

/// <summary>One entry of a pool's decision log: why members changed, or what an agent answered.</summary>
public sealed record PoolEvent(string TenantId, string PoolId, DateTimeOffset At, string Kind, string Reason, double? Load, IReadOnlyList<MemberChange> Changes);

namespace Serverless.ControlPlane.Pools;

/// <summary>A pool as the evaluator reads it for one tick: its policy, its members in listed order, and its last change.</summary>
public sealed record PoolSnapshot(string PoolId, PoolPolicy Policy, IReadOnlyList<MemberSnapshot> Members, DateTimeOffset? LastChangeAt, PoolSpend? Spend = null);

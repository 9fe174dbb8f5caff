namespace Serverless.ControlPlane.Pools;

/// <summary>A pool as the API shows it: the definition, its members' states, and each member's latest reading of the pool's metric.</summary>
public sealed record PoolView(PoolDefinition Pool, IReadOnlyList<PoolMemberStatus> Statuses, IReadOnlyDictionary<string, MetricPoint> Latest);

namespace Serverless.ControlPlane.Pools;

/// <summary>
/// A pool as the API shows it: the definition, its members' states, each member's latest reading of the pool's metric,
/// and where each schedule window stands (null when the pool has no schedule or it was not asked for).
/// </summary>
public sealed record PoolView(
    PoolDefinition Pool, IReadOnlyList<PoolMemberStatus> Statuses, IReadOnlyDictionary<string, MetricPoint> Latest, IReadOnlyList<PoolWindowStatus>? Schedule = null);

namespace Serverless.ControlPlane.Pools;

/// <summary>
/// A pool as the API shows it: the definition, its members' states, each member's latest reading of the pool's metric,
/// where each schedule window stands and what the pool spends (each null when the pool has no schedule, no budget and
/// no member with a cost, or they were not asked for).
/// </summary>
public sealed record PoolView(
    PoolDefinition Pool,
    IReadOnlyList<PoolMemberStatus> Statuses,
    IReadOnlyDictionary<string, MetricPoint> Latest,
    IReadOnlyList<PoolWindowStatus>? Schedule = null,
    PoolSpendStatus? Spend = null);

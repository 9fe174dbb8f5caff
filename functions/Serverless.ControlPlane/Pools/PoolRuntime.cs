namespace Serverless.ControlPlane.Pools;

/// <summary>
/// What one evaluator tick reads of a pool: its members' states, the evaluator's memory of it, and each member's
/// readings of the pool's metric in the window, by member id.
/// </summary>
public sealed record PoolRuntime(
    IReadOnlyList<PoolMemberStatus> Statuses,
    PoolState? State,
    IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>> Readings);

namespace Serverless.ControlPlane.Pools;

/// <summary>
/// What the evaluator remembers of a pool between ticks: its last change (for the cooldown), when it last renewed
/// each agent group's metric subscription, for which version of the pool, and its spend this month.
/// </summary>
public sealed record PoolState(
    string TenantId,
    string PoolId,
    DateTimeOffset? LastChangeAt,
    IReadOnlyDictionary<string, DateTimeOffset> SubscribedAt,
    string? SubscribedVersion,
    string? ETag = null,
    PoolSpend? Spend = null,
    bool HeldByBudget = false)
{
    /// <summary>The state of a pool the evaluator has not acted on yet.</summary>
    public static PoolState Fresh(string tenantId, string poolId) => new(tenantId, poolId, null, new Dictionary<string, DateTimeOffset>(), null);
}

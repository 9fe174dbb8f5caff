namespace Serverless.ControlPlane.Pools;

/// <summary>The evaluator's side of pools: members' states, the pool's state, the decision log. Every write of a state is conditional.</summary>
public interface IPoolRuntimeStore
{
    /// <summary>Every pool of every tenant, for the evaluator.</summary>
    Task<IReadOnlyList<PoolDefinition>> ListEveryPoolAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<PoolMemberStatus>> ListMemberStatusesAsync(string tenantId, string poolId, CancellationToken cancellationToken);

    Task<PoolMemberStatus?> GetMemberStatusAsync(string tenantId, string poolId, string memberId, CancellationToken cancellationToken);

    /// <summary>Writes the member's next state if its row is still at <paramref name="expectedETag"/> (absent when null); false when another writer got there first.</summary>
    Task<bool> TrySetMemberStatusAsync(PoolMemberStatus next, string? expectedETag, CancellationToken cancellationToken);

    /// <summary>
    /// Everything a tick needs of each pool, in the order given: members' states, the evaluator's state, and the
    /// members' readings of the pool's metric within its <see cref="PoolWindowRing.Lookback"/> before
    /// <paramref name="now"/>, oldest first. Pools that share a storage partition are read together.
    /// </summary>
    Task<IReadOnlyList<PoolRuntime>> ReadTicksAsync(IReadOnlyList<PoolDefinition> pools, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Writes each commit's transitions and state together, in the order given: false for a commit, which then writes
    /// nothing, when any of its rows changed since it was read; the others are written whatever befalls it. Commits
    /// of pools in one storage partition may share a transaction.
    /// </summary>
    Task<IReadOnlyList<bool>> TryCommitAsync(IReadOnlyList<PoolCommit> commits, CancellationToken cancellationToken);

    Task AddEventAsync(PoolEvent poolEvent, CancellationToken cancellationToken);

    /// <summary>The newest events first, up to <paramref name="pageSize"/>, older than <paramref name="before"/> when given.</summary>
    Task<IReadOnlyList<PoolEvent>> ListEventsAsync(string tenantId, string poolId, int pageSize, DateTimeOffset? before, CancellationToken cancellationToken);
}

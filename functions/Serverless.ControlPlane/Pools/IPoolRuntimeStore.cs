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

    Task<PoolState?> GetStateAsync(string tenantId, string poolId, CancellationToken cancellationToken);

    /// <summary>Writes the pool's state if it is still at <see cref="PoolState.ETag"/> (absent when null); false when it changed.</summary>
    Task<bool> TrySetStateAsync(PoolState state, CancellationToken cancellationToken);

    Task AddEventAsync(PoolEvent poolEvent, CancellationToken cancellationToken);

    /// <summary>The newest events first, up to <paramref name="pageSize"/>, older than <paramref name="before"/> when given.</summary>
    Task<IReadOnlyList<PoolEvent>> ListEventsAsync(string tenantId, string poolId, int pageSize, DateTimeOffset? before, CancellationToken cancellationToken);
}

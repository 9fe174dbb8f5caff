namespace Serverless.ControlPlane.Pools;

/// <summary>Pools and their members' states, partitioned by tenant; writes of a definition are conditional on its ETag.</summary>
public interface IPoolStore
{
    Task<PoolDefinition?> GetAsync(string tenantId, string poolId, CancellationToken cancellationToken);

    Task<IReadOnlyList<PoolDefinition>> ListAsync(string tenantId, int pageSize, string? afterId, CancellationToken cancellationToken);

    /// <summary>Every pool of the tenant; for checks across pools, such as what uses a resource.</summary>
    Task<IReadOnlyList<PoolDefinition>> ListAllAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Adds the pool with its members Inactive; false when the name is taken.</summary>
    Task<bool> TryAddAsync(PoolDefinition pool, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the definition if it is still at <see cref="PoolDefinition.ETag"/>, adding new members Inactive and
    /// dropping the states of removed ones; false when it changed.
    /// </summary>
    Task<bool> TryReplaceAsync(PoolDefinition pool, CancellationToken cancellationToken);

    /// <summary>Deletes the pool and its members' states if it is still at <paramref name="etag"/> (any version when null); false when it changed or is gone.</summary>
    Task<bool> TryDeleteAsync(string tenantId, string poolId, string? etag, CancellationToken cancellationToken);

    Task<IReadOnlyList<PoolMemberStatus>> ListMemberStatusesAsync(string tenantId, string poolId, CancellationToken cancellationToken);
}

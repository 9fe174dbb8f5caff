using System.Collections.Concurrent;
using Serverless.ControlPlane.Pools;

namespace Serverless.ControlPlane.Tests;

/// <summary>Pools with a version counter as ETag, as a table gives them; for service tests.</summary>
public sealed class InMemoryPoolStore : IPoolStore
{
    private readonly ConcurrentDictionary<(string, string), PoolDefinition> _pools = new();
    private int _version;

    public Task<PoolDefinition?> GetAsync(string tenantId, string poolId, CancellationToken cancellationToken) =>
        Task.FromResult(_pools.GetValueOrDefault((tenantId, poolId)));

    public Task<IReadOnlyList<PoolDefinition>> ListAsync(string tenantId, int pageSize, string? afterId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PoolDefinition>>([.. _pools.Values
            .Where(p => p.TenantId == tenantId && (afterId is null || string.CompareOrdinal(p.PoolId, afterId) > 0))
            .OrderBy(p => p.PoolId, StringComparer.Ordinal)
            .Take(pageSize)]);

    public Task<IReadOnlyList<PoolDefinition>> ListAllAsync(string tenantId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PoolDefinition>>([.. _pools.Values.Where(p => p.TenantId == tenantId)]);

    public Task<bool> TryAddAsync(PoolDefinition pool, CancellationToken cancellationToken) =>
        Task.FromResult(_pools.TryAdd((pool.TenantId, pool.PoolId), Versioned(pool)));

    public Task<bool> TryReplaceAsync(PoolDefinition pool, CancellationToken cancellationToken)
    {
        var key = (pool.TenantId, pool.PoolId);
        return Task.FromResult(_pools.TryGetValue(key, out var current) && current.ETag == pool.ETag && _pools.TryUpdate(key, Versioned(pool), current));
    }

    public Task<bool> TryDeleteAsync(string tenantId, string poolId, string? etag, CancellationToken cancellationToken)
    {
        var key = (tenantId, poolId);
        return Task.FromResult(_pools.TryGetValue(key, out var current) && (etag is null || current.ETag == etag) && _pools.TryRemove(key, out _));
    }

    public Task<IReadOnlyList<PoolMemberStatus>> ListMemberStatusesAsync(string tenantId, string poolId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PoolMemberStatus>>([]);

    private PoolDefinition Versioned(PoolDefinition pool) => pool with { ETag = $"W/\"{Interlocked.Increment(ref _version)}\"" };
}

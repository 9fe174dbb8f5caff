using System.Collections.Concurrent;

namespace Serverless.ControlPlane.Pools;

/// <summary>
/// Each pool's <see cref="PoolWindowRing"/>, as the uplink needs it for every metric batch: read from the pool's
/// definition at most once per <see cref="Freshness"/> per pool and process. A policy change reaches the uplink within
/// that time; readings written meanwhile go into the old ring's slots, which costs nothing but room, since every slot
/// carries its reading's time.
/// </summary>
public sealed class PoolWindowRings(IPoolStore pools, TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<(string TenantId, string PoolId), (PoolWindowRing? Ring, DateTimeOffset ReadAt)> _cache = new();

    /// <summary>The rings of those of <paramref name="poolIds"/> that exist, by pool id.</summary>
    public async Task<IReadOnlyDictionary<string, PoolWindowRing>> ForAsync(string tenantId, IEnumerable<string> poolIds, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rings = new Dictionary<string, PoolWindowRing>(StringComparer.Ordinal);
        foreach (var poolId in poolIds.Distinct(StringComparer.Ordinal))
        {
            if (!_cache.TryGetValue((tenantId, poolId), out var cached) || now - cached.ReadAt >= Freshness)
            {
                var pool = await pools.GetAsync(tenantId, poolId, cancellationToken);
                cached = (pool is null ? null : PoolWindowRing.For(pool.Policy), now);
                _cache[(tenantId, poolId)] = cached;
            }

            if (cached.Ring is { } ring)
            {
                rings[poolId] = ring;
            }
        }

        return rings;
    }
}

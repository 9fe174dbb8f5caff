using System.Collections.Concurrent;
using Serverless.ControlPlane.Pools;

namespace Serverless.ControlPlane.Tests;

/// <summary>
/// Pools, members' states, pool states and events, with a version counter as ETag, as a table gives them; for service
/// tests. A tick's readings come from <paramref name="readings"/>, as the uplink would have stored them.
/// </summary>
public class InMemoryPoolStore(InMemoryMetricWindows? readings = null) : IPoolStore, IPoolRuntimeStore
{
    private readonly Lock _commit = new();
    private readonly ConcurrentDictionary<(string, string), PoolDefinition> _pools = new();
    private readonly ConcurrentDictionary<(string, string, string), PoolMemberStatus> _statuses = new();
    private readonly ConcurrentDictionary<(string, string), PoolState> _states = new();
    private readonly ConcurrentQueue<PoolEvent> _events = new();
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

    public virtual Task<IReadOnlyList<PoolMemberStatus>> ListMemberStatusesAsync(string tenantId, string poolId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PoolMemberStatus>>([.. _statuses.Values.Where(s => s.TenantId == tenantId && s.PoolId == poolId)]);

    public Task<IReadOnlyList<PoolDefinition>> ListEveryPoolAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PoolDefinition>>([.. _pools.Values]);

    public Task<PoolMemberStatus?> GetMemberStatusAsync(string tenantId, string poolId, string memberId, CancellationToken cancellationToken) =>
        Task.FromResult(_statuses.GetValueOrDefault((tenantId, poolId, memberId)));

    public Task<bool> TrySetMemberStatusAsync(PoolMemberStatus next, string? expectedETag, CancellationToken cancellationToken)
    {
        lock (_commit)
        {
            var key = (next.TenantId, next.PoolId, next.MemberId);
            var versioned = next with { ETag = $"W/\"{Interlocked.Increment(ref _version)}\"" };
            if (expectedETag is null)
            {
                return Task.FromResult(_statuses.TryAdd(key, versioned));
            }

            return Task.FromResult(_statuses.TryGetValue(key, out var current) && current.ETag == expectedETag && _statuses.TryUpdate(key, versioned, current));
        }
    }

    public virtual async Task<IReadOnlyList<PoolRuntime>> ReadTicksAsync(IReadOnlyList<PoolDefinition> pools, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var runtimes = new List<PoolRuntime>(pools.Count);
        foreach (var pool in pools)
        {
            runtimes.Add(await ReadTickAsync(pool.TenantId, pool.PoolId, pool.Policy.Metric, now - PoolWindowRing.Lookback(pool.Policy), cancellationToken));
        }

        return runtimes;
    }

    private async Task<PoolRuntime> ReadTickAsync(string tenantId, string poolId, string metric, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var statuses = await ListMemberStatusesAsync(tenantId, poolId, cancellationToken);
        var members = _pools.TryGetValue((tenantId, poolId), out var pool) ? pool.Members.Select(m => m.MemberId).ToList() : [];
        var windows = readings is null
            ? new Dictionary<string, IReadOnlyList<MetricPoint>>()
            : await readings.ReadAsync(tenantId, [.. members.Select(m => PoolCommandCorrelation.MemberKey(poolId, m))], metric, since, cancellationToken);
        return new PoolRuntime(
            statuses,
            _states.GetValueOrDefault((tenantId, poolId)),
            members.Where(m => windows.ContainsKey(PoolCommandCorrelation.MemberKey(poolId, m))).ToDictionary(m => m, m => windows[PoolCommandCorrelation.MemberKey(poolId, m)]));
    }

    public Task<IReadOnlyList<bool>> TryCommitAsync(IReadOnlyList<PoolCommit> commits, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<bool>>([.. commits.Select(TryCommit)]);

    private bool TryCommit(PoolCommit commit)
    {
        lock (_commit)
        {
            var stateKey = (commit.TenantId, commit.PoolId);
            var current = _states.GetValueOrDefault(stateKey);
            var fresh = commit.Transitions.All(t => _statuses.GetValueOrDefault((commit.TenantId, commit.PoolId, t.Next.MemberId))?.ETag == t.ExpectedETag)
                && (commit.State is null || current?.ETag == commit.State.ETag);
            if (!fresh)
            {
                return false;
            }

            foreach (var transition in commit.Transitions)
            {
                _statuses[(commit.TenantId, commit.PoolId, transition.Next.MemberId)] = transition.Next with { ETag = $"W/\"{Interlocked.Increment(ref _version)}\"" };
            }

            if (commit.State is { } state)
            {
                _states[stateKey] = state with { ETag = $"W/\"{Interlocked.Increment(ref _version)}\"" };
            }

            return true;
        }
    }

    public Task AddEventAsync(PoolEvent poolEvent, CancellationToken cancellationToken)
    {
        _events.Enqueue(poolEvent);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PoolEvent>> ListEventsAsync(string tenantId, string poolId, int pageSize, DateTimeOffset? before, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PoolEvent>>([.. _events.Where(e => e.TenantId == tenantId && e.PoolId == poolId && (before is null || e.At < before)).Reverse().Take(pageSize)]);

    private PoolDefinition Versioned(PoolDefinition pool) => pool with { ETag = $"W/\"{Interlocked.Increment(ref _version)}\"" };
}

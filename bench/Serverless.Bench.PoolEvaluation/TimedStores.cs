using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Zones;

namespace Serverless.Bench.PoolEvaluation;

/// <summary>The real table stores with every call the evaluator makes timed.</summary>
public sealed class TimedStores(IPoolRuntimeStore pools, IMetricWindowStore metrics, IResourceStore resources, IZoneStore zones, IAgentGroupStore groups, Timings timings)
    : IPoolRuntimeStore, IMetricWindowStore, IResourceStore, IZoneStore, IAgentGroupStore
{
    public Task<IReadOnlyList<PoolDefinition>> ListEveryPoolAsync(CancellationToken cancellationToken) =>
        timings.TimeAsync("pools: list every pool", () => pools.ListEveryPoolAsync(cancellationToken));

    public Task<IReadOnlyList<PoolMemberStatus>> ListMemberStatusesAsync(string tenantId, string poolId, CancellationToken cancellationToken) =>
        timings.TimeAsync("pools: read member states", () => pools.ListMemberStatusesAsync(tenantId, poolId, cancellationToken));

    public Task<PoolMemberStatus?> GetMemberStatusAsync(string tenantId, string poolId, string memberId, CancellationToken cancellationToken) =>
        timings.TimeAsync("pools: read a member state", () => pools.GetMemberStatusAsync(tenantId, poolId, memberId, cancellationToken));

    public Task<bool> TrySetMemberStatusAsync(PoolMemberStatus next, string? expectedETag, CancellationToken cancellationToken) =>
        timings.TimeAsync("pools: write a member transition", () => pools.TrySetMemberStatusAsync(next, expectedETag, cancellationToken));

    public Task<IReadOnlyList<PoolRuntime>> ReadTicksAsync(IReadOnlyList<PoolDefinition> definitions, DateTimeOffset now, CancellationToken cancellationToken) =>
        timings.TimeAsync("pools: read the pools' runtimes", () => pools.ReadTicksAsync(definitions, now, cancellationToken));

    public Task<IReadOnlyList<bool>> TryCommitAsync(IReadOnlyList<PoolCommit> commits, CancellationToken cancellationToken) =>
        timings.TimeAsync("pools: commit the tick's decisions", () => pools.TryCommitAsync(commits, cancellationToken));

    public Task AddEventAsync(PoolEvent poolEvent, CancellationToken cancellationToken) =>
        timings.TimeAsync("pools: log a decision", () => pools.AddEventAsync(poolEvent, cancellationToken));

    public Task<IReadOnlyList<PoolEvent>> ListEventsAsync(string tenantId, string poolId, int pageSize, DateTimeOffset? before, CancellationToken cancellationToken) =>
        pools.ListEventsAsync(tenantId, poolId, pageSize, before, cancellationToken);

    public Task<IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>>> ReadAsync(string tenantId, IReadOnlyList<string> keys, string metric, DateTimeOffset since, CancellationToken cancellationToken) =>
        timings.TimeAsync("metrics: read a pool's windows", () => metrics.ReadAsync(tenantId, keys, metric, since, cancellationToken));

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) => metrics.PurgeAsync(before, cancellationToken);

    Task<ResourceRegistration?> IResourceStore.GetAsync(string tenantId, string resourceId, CancellationToken cancellationToken) =>
        timings.TimeAsync("resources: read", () => resources.GetAsync(tenantId, resourceId, cancellationToken));

    public Task UpsertAsync(ResourceRegistration registration, CancellationToken cancellationToken) => resources.UpsertAsync(registration, cancellationToken);

    public Task<bool> TryReplaceAsync(ResourceRegistration registration, CancellationToken cancellationToken) => resources.TryReplaceAsync(registration, cancellationToken);

    public Task<IReadOnlyList<ResourceRegistration>> ListRegisteredHostsAsync(CancellationToken cancellationToken) => resources.ListRegisteredHostsAsync(cancellationToken);

    Task<IReadOnlyList<ResourceRegistration>> IResourceStore.ListAsync(string tenantId, int pageSize, string? afterId, CancellationToken cancellationToken) =>
        resources.ListAsync(tenantId, pageSize, afterId, cancellationToken);

    public Task<bool> TryAddAsync(Zone zone, CancellationToken cancellationToken) => zones.TryAddAsync(zone, cancellationToken);

    Task<Zone?> IZoneStore.GetAsync(string tenantId, string name, CancellationToken cancellationToken) =>
        timings.TimeAsync("zones: read", () => zones.GetAsync(tenantId, name, cancellationToken));

    Task<IReadOnlyList<Zone>> IZoneStore.ListAsync(string tenantId, int pageSize, string? afterName, CancellationToken cancellationToken) =>
        zones.ListAsync(tenantId, pageSize, afterName, cancellationToken);

    Task<AgentGroupConnectivity?> IAgentGroupStore.GetAsync(string tenantId, string agentGroup, CancellationToken cancellationToken) =>
        timings.TimeAsync("agent groups: read connectivity", () => groups.GetAsync(tenantId, agentGroup, cancellationToken));

    Task<IReadOnlyList<AgentGroupConnectivity>> IAgentGroupStore.ListAsync(CancellationToken cancellationToken) => groups.ListAsync(cancellationToken);

    Task IAgentGroupStore.UpsertAsync(AgentGroupConnectivity connectivity, CancellationToken cancellationToken) => groups.UpsertAsync(connectivity, cancellationToken);

    Task<ConnectivityWatch?> IAgentGroupStore.GetWatchAsync(CancellationToken cancellationToken) => groups.GetWatchAsync(cancellationToken);

    Task IAgentGroupStore.SetWatchAsync(ConnectivityWatch watch, CancellationToken cancellationToken) => groups.SetWatchAsync(watch, cancellationToken);
}

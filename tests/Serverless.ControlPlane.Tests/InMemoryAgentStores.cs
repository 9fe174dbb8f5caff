using System.Collections.Concurrent;
using Serverless.Contracts.Agents;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Pools;

namespace Serverless.ControlPlane.Tests;

/// <summary>Heartbeats and group connectivity kept in memory, for the connectivity rules' unit tests.</summary>
public sealed class InMemoryAgentStores : IAgentTelemetryStore, IAgentGroupStore
{
    private readonly ConcurrentDictionary<(string, string), AgentPresence> _presence = new();
    private readonly ConcurrentDictionary<(string, string), AgentGroupConnectivity> _groups = new();

    public Task RecordHeartbeatAsync(string tenantId, AgentHeartbeat heartbeat, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        _presence[(tenantId, heartbeat.AgentId)] = new AgentPresence(tenantId, heartbeat.AgentId, heartbeat.AgentGroup, receivedAt, heartbeat.Role.ToString(), heartbeat.HostName, heartbeat.AgentVersion);
        return Task.CompletedTask;
    }

    public Task RecordMetricsAsync(string tenantId, MetricBatch batch, IReadOnlyDictionary<string, PoolWindowRing> rings, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public Task<IReadOnlyList<AgentPresence>> ListPresenceAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AgentPresence>>([.. _presence.Values]);

    public Task<IReadOnlyList<AgentPresence>> ListPresenceAsync(string tenantId, string agentGroup, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AgentPresence>>([.. _presence.Values.Where(p => p.TenantId == tenantId && p.AgentGroup == agentGroup)]);

    public Task<AgentGroupConnectivity?> GetAsync(string tenantId, string agentGroup, CancellationToken cancellationToken) =>
        Task.FromResult(_groups.GetValueOrDefault((tenantId, agentGroup)));

    public Task<IReadOnlyList<AgentGroupConnectivity>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AgentGroupConnectivity>>([.. _groups.Values]);

    public Task UpsertAsync(AgentGroupConnectivity connectivity, CancellationToken cancellationToken)
    {
        _groups[(connectivity.TenantId, connectivity.AgentGroup)] = connectivity;
        return Task.CompletedTask;
    }

    public ConnectivityWatch? Watch { get; private set; }

    public Task<ConnectivityWatch?> GetWatchAsync(CancellationToken cancellationToken) => Task.FromResult(Watch);

    public Task SetWatchAsync(ConnectivityWatch watch, CancellationToken cancellationToken)
    {
        Watch = watch;
        return Task.CompletedTask;
    }
}

using Serverless.Contracts.Agents;
using Serverless.ControlPlane.Pools;

namespace Serverless.ControlPlane.Agents;

/// <summary>What agents report besides command results: their heartbeats and the metrics they collect.</summary>
public interface IAgentTelemetryStore
{
    /// <summary>Keeps the agent's latest heartbeat and when it arrived; an older one arriving late does not replace a newer one.</summary>
    Task RecordHeartbeatAsync(string tenantId, AgentHeartbeat heartbeat, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>Every agent's latest heartbeat, of all tenants (for the connectivity timer).</summary>
    Task<IReadOnlyList<AgentPresence>> ListPresenceAsync(CancellationToken cancellationToken);

    /// <summary>The latest heartbeats of one group's agents.</summary>
    Task<IReadOnlyList<AgentPresence>> ListPresenceAsync(string tenantId, string agentGroup, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the samples; storing the same batch again changes nothing. Samples of pool members (keys
    /// <c>{pool}.{member}</c>) of their pool's metric also go into the member's ring, for the pools in <paramref name="rings"/>.
    /// </summary>
    Task RecordMetricsAsync(string tenantId, MetricBatch batch, IReadOnlyDictionary<string, PoolWindowRing> rings, CancellationToken cancellationToken);
}

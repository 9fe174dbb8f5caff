using Serverless.Contracts.Agents;

namespace Serverless.ControlPlane.Agents;

/// <summary>What agents report besides command results: their heartbeats and the metrics they collect.</summary>
public interface IAgentTelemetryStore
{
    /// <summary>Keeps the agent's latest heartbeat; an older one arriving late does not replace a newer one.</summary>
    Task RecordHeartbeatAsync(string tenantId, AgentHeartbeat heartbeat, CancellationToken cancellationToken);

    /// <summary>Stores the samples; storing the same batch again changes nothing.</summary>
    Task RecordMetricsAsync(string tenantId, MetricBatch batch, CancellationToken cancellationToken);
}

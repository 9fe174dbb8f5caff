using Serverless.Contracts;
using Serverless.Contracts.Agents;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Telemetry;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Agents;

/// <summary>Takes heartbeats and metric batches from authenticated agents, each only for the agent that sends it.</summary>
public sealed class AgentTelemetryService(IAgentTelemetryStore store, ConnectivityService connectivity, PoolWindowRings rings, TimeProvider clock)
{
    public async Task<Outcome<bool>> RecordHeartbeatAsync(AgentIdentity agent, AgentHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        CheckSender(agent, heartbeat.SchemaVersion, heartbeat.AgentId, heartbeat.AgentGroup, errors);
        FieldRules.OptionalText("agentVersion", heartbeat.AgentVersion, errors);
        FieldRules.OptionalText("hostName", heartbeat.HostName, errors);
        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        var now = clock.GetUtcNow();
        await store.RecordHeartbeatAsync(agent.TenantId, heartbeat, now, cancellationToken);
        await connectivity.MarkHeardAsync(agent.TenantId, agent.AgentGroup, now, cancellationToken);
        ControlPlaneTelemetry.HeartbeatTaken(agent.AgentGroup);
        return true;
    }

    public async Task<Outcome<int>> RecordMetricsAsync(AgentIdentity agent, MetricBatch batch, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        CheckSender(agent, batch.SchemaVersion, batch.AgentId, batch.AgentGroup, errors);
        if (string.IsNullOrWhiteSpace(batch.BatchId) || batch.BatchId.Length > 64)
        {
            errors.Add(new FieldError("batchId", "is required, at most 64 characters."));
        }

        if (batch.Samples is null || batch.Samples.Count is 0 or > MetricBatch.MaxSamples)
        {
            errors.Add(new FieldError("samples", $"must hold 1-{MetricBatch.MaxSamples} samples."));
        }
        else
        {
            foreach (var (index, sample) in batch.Samples.Index())
            {
                if (string.IsNullOrWhiteSpace(sample.ResourceId) || sample.ResourceId.Length > FieldRules.MaxNameLength * 2)
                {
                    errors.Add(new FieldError($"samples[{index}].resourceId", "is required."));
                }

                if (string.IsNullOrWhiteSpace(sample.Metric) || sample.Metric.Length > FieldRules.MaxNameLength)
                {
                    errors.Add(new FieldError($"samples[{index}].metric", $"is required, at most {FieldRules.MaxNameLength} characters."));
                }

                if (!double.IsFinite(sample.Value))
                {
                    errors.Add(new FieldError($"samples[{index}].value", "must be a finite number."));
                }
            }
        }

        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        var pools = batch.Samples!.Select(s => PoolCommandCorrelation.TrySplitMemberKey(s.ResourceId, out var poolId, out _) ? poolId : null).OfType<string>();
        await store.RecordMetricsAsync(agent.TenantId, batch, await rings.ForAsync(agent.TenantId, pools, cancellationToken), cancellationToken);
        return batch.Samples!.Count;
    }

    private static void CheckSender(AgentIdentity agent, int schemaVersion, string? agentId, string? agentGroup, List<FieldError> errors)
    {
        if (schemaVersion != SchemaVersions.Current)
        {
            errors.Add(new FieldError("schemaVersion", $"must be {SchemaVersions.Current}."));
        }

        if (agentId != agent.AgentId)
        {
            errors.Add(new FieldError("agentId", "must be the id of the agent whose credential signs the request."));
        }

        if (agentGroup != agent.AgentGroup)
        {
            errors.Add(new FieldError("agentGroup", "must be the agent group of the credential."));
        }
    }
}

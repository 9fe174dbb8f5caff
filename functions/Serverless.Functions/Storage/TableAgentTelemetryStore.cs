using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Serverless.Contracts.Agents;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Storage;

/// <summary>
/// Heartbeats in <c>AgentHeartbeats</c> (PartitionKey = tenant, RowKey = agent id, the latest one). Samples of pool
/// members (keys <c>{pool}.{member}</c>) go to their pool's partition of <c>PoolMembers</c> as history
/// (<see cref="PoolPartitionRows"/>), and those of the pool's metric also into the member's ring in
/// <c>PoolRuntime</c>, where the evaluator reads them with the members' states (<see cref="PoolRuntimeRows"/>: one
/// merge per member, a transaction per partition of pools); other samples to <c>Metrics</c> (PartitionKey =
/// tenant|resource|metric, RowKey = time ticks|batch|index). Either way a batch stored twice overwrites itself and a
/// window is one range query.
/// </summary>
public sealed class TableAgentTelemetryStore(TableProvider tables) : IAgentTelemetryStore
{
    public async Task RecordHeartbeatAsync(string tenantId, AgentHeartbeat heartbeat, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.AgentHeartbeats, cancellationToken);
        var entity = new TableEntity(tenantId, heartbeat.AgentId)
        {
            ["AgentGroup"] = heartbeat.AgentGroup,
            ["SentAt"] = heartbeat.SentAt,
            ["AgentVersion"] = heartbeat.AgentVersion,
            ["HostName"] = heartbeat.HostName,
            ["StartedAt"] = heartbeat.StartedAt,
            ["Role"] = heartbeat.Role.ToString(),
            ["CommandsExecuted"] = heartbeat.CommandsExecuted,
            ["LastCommandAt"] = heartbeat.LastCommandAt,
            ["ReceivedAt"] = receivedAt,
        };
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, heartbeat.AgentId, ["SentAt"], cancellationToken);
            if (current.HasValue && current.Value!.GetDateTimeOffset("SentAt") >= heartbeat.SentAt)
            {
                return;
            }

            try
            {
                if (current.HasValue)
                {
                    await table.UpdateEntityAsync(entity, current.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException exception) when (exception.Status is 409 or 412)
            {
                // Another heartbeat of the same agent raced this one: read again and compare.
            }
        }
    }

    public async Task<IReadOnlyList<AgentPresence>> ListPresenceAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.AgentHeartbeats, cancellationToken);
        return await ReadAsync(table.QueryAsync<TableEntity>(cancellationToken: cancellationToken), cancellationToken);
    }

    public async Task<IReadOnlyList<AgentPresence>> ListPresenceAsync(string tenantId, string agentGroup, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.AgentHeartbeats, cancellationToken);
        return await ReadAsync(table.QueryAsync<TableEntity>(e => e.PartitionKey == tenantId && e.GetString("AgentGroup") == agentGroup, cancellationToken: cancellationToken), cancellationToken);
    }

    public async Task RecordMetricsAsync(string tenantId, MetricBatch batch, IReadOnlyDictionary<string, PoolWindowRing> rings, CancellationToken cancellationToken)
    {
        var memberSamples = new List<(int Index, MetricSample Item, string PoolId, string MemberId)>();
        var otherSamples = new List<(int Index, MetricSample Item)>();
        foreach (var (index, sample) in batch.Samples.Index())
        {
            if (PoolCommandCorrelation.TrySplitMemberKey(sample.ResourceId, out var poolId, out var memberId))
            {
                memberSamples.Add((index, sample, poolId, memberId));
            }
            else
            {
                otherSamples.Add((index, sample));
            }
        }

        if (memberSamples.Count > 0)
        {
            var members = await tables.GetAsync(TableProvider.PoolMembers, cancellationToken);
            await TableQueries.SubmitAsync(members, memberSamples.Select(s => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(
                PoolPartitionRows.Partition(tenantId, s.PoolId), PoolPartitionRows.ReadingRow(s.Item.Metric, s.Item.At, s.MemberId, batch.BatchId, s.Index))
            {
                ["Member"] = s.MemberId,
                ["Metric"] = s.Item.Metric,
                ["Value"] = s.Item.Value,
                ["At"] = s.Item.At,
                ["AgentId"] = batch.AgentId,
            })), cancellationToken);
            await RecordRingsAsync(tenantId, memberSamples.Select(s => (s.Item, s.PoolId, s.MemberId)), rings, cancellationToken);
        }

        if (otherSamples.Count == 0)
        {
            return;
        }

        var table = await tables.GetAsync(TableProvider.Metrics, cancellationToken);
        var actions = otherSamples.Select(s => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(
            $"{tenantId}|{s.Item.ResourceId}|{s.Item.Metric}",
            string.Create(CultureInfo.InvariantCulture, $"{s.Item.At.UtcTicks:D19}|{batch.BatchId}|{s.Index:D4}"))
        {
            ["ResourceId"] = s.Item.ResourceId,
            ["Metric"] = s.Item.Metric,
            ["Value"] = s.Item.Value,
            ["At"] = s.Item.At,
            ["AgentId"] = batch.AgentId,
        }));
        await TableQueries.SubmitAsync(table, actions, cancellationToken);
    }

    /// <summary>One merge per member ring, its slots set oldest reading first, so of two readings in one slot the newer stays.</summary>
    private async Task RecordRingsAsync(
        string tenantId, IEnumerable<(MetricSample Item, string PoolId, string MemberId)> samples, IReadOnlyDictionary<string, PoolWindowRing> rings, CancellationToken cancellationToken)
    {
        var entities = new Dictionary<(string, string), TableEntity>();
        foreach (var (sample, poolId, memberId) in samples.OrderBy(s => s.Item.At))
        {
            if (!rings.TryGetValue(poolId, out var ring) || sample.Metric != ring.Metric)
            {
                continue;
            }

            var entity = new TableEntity(PoolRuntimeRows.Partition(tenantId, poolId), PoolRuntimeRows.RingRow(tenantId, poolId, ring.Metric, memberId));
            entity = entities.TryGetValue((entity.PartitionKey, entity.RowKey), out var existing) ? existing : entities[(entity.PartitionKey, entity.RowKey)] = entity;
            entity[PoolRuntimeRows.RingGeometry] = ring.Geometry;
            entity[ring.SlotOf(sample.At)] = PoolWindowRing.Encode(new MetricPoint(sample.At, sample.Value));
        }

        if (entities.Count > 0)
        {
            var table = await tables.GetAsync(TableProvider.PoolRuntime, cancellationToken);
            await TableQueries.SubmitAsync(table, entities.Values.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertMerge, e)), cancellationToken);
        }
    }

    private static async Task<IReadOnlyList<AgentPresence>> ReadAsync(AsyncPageable<TableEntity> rows, CancellationToken cancellationToken)
    {
        var presence = new List<AgentPresence>();
        await foreach (var e in rows.WithCancellation(cancellationToken))
        {
            presence.Add(new AgentPresence(
                e.PartitionKey, e.RowKey, e.GetString("AgentGroup"), e.GetDateTimeOffset("ReceivedAt") ?? e.GetDateTimeOffset("SentAt") ?? DateTimeOffset.MinValue,
                e.GetString("Role") ?? string.Empty, e.GetString("HostName"), e.GetString("AgentVersion")));
        }

        return presence;
    }
}

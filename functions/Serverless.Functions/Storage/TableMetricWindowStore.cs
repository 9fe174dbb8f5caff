using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Storage;

/// <summary>
/// Reads the <c>Metrics</c> table the uplink writes (PartitionKey = <c>{tenant}|{key}|{metric}</c>, RowKey starting with
/// the reading's ticks), so a member's window is one range query; the windows of a pool's members are read in parallel.
/// </summary>
public sealed class TableMetricWindowStore(TableProvider tables) : IMetricWindowStore
{
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>>> ReadAsync(
        string tenantId, IReadOnlyList<string> keys, string metric, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Metrics, cancellationToken);
        var from = since.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
        var windows = await Task.WhenAll(keys.Select(async key =>
        {
            var points = new List<MetricPoint>();
            await foreach (var e in table.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {$"{tenantId}|{key}|{metric}"} and RowKey ge {from}"), select: ["Value", "At"], cancellationToken: cancellationToken))
            {
                points.Add(new MetricPoint(e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetDouble("Value") ?? 0));
            }

            return (key, points);
        }));
        return windows.Where(w => w.points.Count > 0).ToDictionary(w => w.key, w => (IReadOnlyList<MetricPoint>)w.points, StringComparer.Ordinal);
    }

    /// <summary>A scan for old readings across partitions: run on a slow timer; each partition's deletions go in batches of 100.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Metrics, cancellationToken);
        var old = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"At lt {before}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            old.Add(e);
        }

        foreach (var partition in old.GroupBy(e => e.PartitionKey))
        {
            foreach (var batch in partition.Chunk(100))
            {
                await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
            }
        }

        return old.Count;
    }
}

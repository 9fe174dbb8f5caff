using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Storage;

/// <summary>
/// Reads the <c>Metrics</c> table the uplink writes (PartitionKey = <c>{tenant}|{key}|{metric}</c>, RowKey starting with
/// the reading's ticks). Keys of the form <c>{group}.{member}</c> (a pool's members) are read with one query per group:
/// their partitions sort together, between <c>{tenant}|{group}.</c> and <c>{tenant}|{group}/</c>. Other keys take one
/// range query each.
/// </summary>
public sealed class TableMetricWindowStore(TableProvider tables) : IMetricWindowStore
{
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>>> ReadAsync(
        string tenantId, IReadOnlyList<string> keys, string metric, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Metrics, cancellationToken);
        var from = since.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
        var wanted = keys.ToHashSet(StringComparer.Ordinal);
        var filters = keys
            .GroupBy(key => key.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot ? key[..dot] : null)
            .SelectMany(group => group.Key is { } prefix
                ? [TableClient.CreateQueryFilter(
                    $"PartitionKey ge {$"{tenantId}|{prefix}."} and PartitionKey lt {$"{tenantId}|{prefix}/"} and RowKey ge {from} and Metric eq {metric}")]
                : group.Select(key => TableClient.CreateQueryFilter($"PartitionKey eq {$"{tenantId}|{key}|{metric}"} and RowKey ge {from}")));
        var windows = new Dictionary<string, List<MetricPoint>>(StringComparer.Ordinal);
        foreach (var rows in await Task.WhenAll(filters.Select(filter => ReadRowsAsync(table, filter, cancellationToken))))
        {
            foreach (var (key, point) in rows.Where(r => wanted.Contains(r.Key)))
            {
                (windows.TryGetValue(key, out var points) ? points : windows[key] = []).Add(point);
            }
        }

        return windows.ToDictionary(w => w.Key, w => (IReadOnlyList<MetricPoint>)[.. w.Value.OrderBy(p => p.At)], StringComparer.Ordinal);
    }

    /// <summary>A scan for old readings across partitions: run on a slow timer.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Metrics, cancellationToken);
        var old = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"At lt {before}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            old.Add(e);
        }

        await TableQueries.SubmitAsync(table, old.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);

        return old.Count;
    }

    private static async Task<List<(string Key, MetricPoint Point)>> ReadRowsAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var rows = new List<(string, MetricPoint)>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "ResourceId", "Value", "At"], cancellationToken: cancellationToken))
        {
            var key = e.GetString("ResourceId") ?? e.PartitionKey.Split('|')[1];
            rows.Add((key, new MetricPoint(e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetDouble("Value") ?? 0)));
        }

        return rows;
    }
}

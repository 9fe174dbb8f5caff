using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Storage;

/// <summary>
/// Reads the readings the uplink writes: those of pool members (keys <c>{pool}.{member}</c>) with one range query per
/// pool in its partition of <c>PoolMembers</c> (<see cref="PoolPartitionRows"/>), other keys with one range query each in
/// <c>Metrics</c> (PartitionKey = <c>{tenant}|{key}|{metric}</c>, RowKey starting with the reading's ticks).
/// </summary>
public sealed class TableMetricWindowStore(TableProvider tables) : IMetricWindowStore
{
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>>> ReadAsync(
        string tenantId, IReadOnlyList<string> keys, string metric, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var wanted = keys.ToHashSet(StringComparer.Ordinal);
        var pools = new HashSet<string>(StringComparer.Ordinal);
        var others = new List<string>();
        foreach (var key in wanted)
        {
            if (PoolCommandCorrelation.TrySplitMemberKey(key, out var poolId, out _))
            {
                pools.Add(poolId);
            }
            else
            {
                others.Add(key);
            }
        }

        var members = await tables.GetAsync(TableProvider.PoolMembers, cancellationToken);
        var metrics = await tables.GetAsync(TableProvider.Metrics, cancellationToken);
        var (from, to) = PoolPartitionRows.ReadingRange(metric, since);
        var fromTicks = since.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
        var reads = pools
            .Select(poolId => ReadRowsAsync(
                members,
                TableClient.CreateQueryFilter($"PartitionKey eq {PoolPartitionRows.Partition(tenantId, poolId)} and RowKey ge {from} and RowKey lt {to}"),
                e => PoolCommandCorrelation.MemberKey(poolId, e.GetString("Member")),
                cancellationToken))
            .Concat(others.Select(key => ReadRowsAsync(
                metrics, TableClient.CreateQueryFilter($"PartitionKey eq {$"{tenantId}|{key}|{metric}"} and RowKey ge {fromTicks}"), _ => key, cancellationToken)));
        var windows = new Dictionary<string, List<MetricPoint>>(StringComparer.Ordinal);
        foreach (var rows in await Task.WhenAll(reads))
        {
            foreach (var (key, point) in rows.Where(r => wanted.Contains(r.Key)))
            {
                (windows.TryGetValue(key, out var points) ? points : windows[key] = []).Add(point);
            }
        }

        return windows.ToDictionary(w => w.Key, w => (IReadOnlyList<MetricPoint>)[.. w.Value.OrderBy(p => p.At)], StringComparer.Ordinal);
    }

    /// <summary>A scan for old readings across partitions, of both tables: run on a slow timer.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var metrics = await tables.GetAsync(TableProvider.Metrics, cancellationToken);
        var members = await tables.GetAsync(TableProvider.PoolMembers, cancellationToken);
        return await PurgeAsync(metrics, TableClient.CreateQueryFilter($"At lt {before}"), cancellationToken)
            + await PurgeAsync(members, TableClient.CreateQueryFilter($"RowKey ge {PoolPartitionRows.ReadingsFrom} and RowKey lt {PoolPartitionRows.ReadingsTo} and At lt {before}"), cancellationToken);
    }

    private static async Task<int> PurgeAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var old = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            old.Add(e);
        }

        await TableQueries.SubmitAsync(table, old.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
        return old.Count;
    }

    private static async Task<List<(string Key, MetricPoint Point)>> ReadRowsAsync(
        TableClient table, string filter, Func<TableEntity, string> keyOf, CancellationToken cancellationToken)
    {
        var rows = new List<(string, MetricPoint)>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, select: ["Member", "Value", "At"], cancellationToken: cancellationToken))
        {
            rows.Add((keyOf(e), new MetricPoint(e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetDouble("Value") ?? 0)));
        }

        return rows;
    }
}

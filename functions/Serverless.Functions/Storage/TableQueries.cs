using Azure.Data.Tables;

namespace Serverless.Functions.Storage;

/// <summary>The table reads and writes several stores share: a tenant's page of rows in key order, and batched transactions.</summary>
public static class TableQueries
{
    /// <summary>The most actions one table transaction may hold.</summary>
    public const int MaxActionsPerTransaction = 100;

    // Table storage refuses a filter with more than fifteen discrete comparisons.
    private const int MaxComparisonsPerFilter = 15;

    /// <summary>Up to <paramref name="pageSize"/> rows of the tenant's partition after <paramref name="afterKey"/>, in RowKey order.</summary>
    public static async Task<IReadOnlyList<T>> PageAsync<T>(
        TableClient table, string tenantId, int pageSize, string? afterKey, Func<TableEntity, T> map, CancellationToken cancellationToken)
    {
        var filter = afterKey is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {tenantId}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and RowKey gt {afterKey}");
        var page = new List<T>(pageSize);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken))
        {
            page.Add(map(entity));
            if (page.Count == pageSize)
            {
                break;
            }
        }

        return page;
    }

    /// <summary>
    /// The rows of one partition with the given keys, by key: fourteen keys per query (with the partition's, the fifteen
    /// discrete comparisons a table filter may hold), the queries in parallel. Keys with no row are absent.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, TableEntity>> GetByRowKeysAsync(
        TableClient table, string partitionKey, IEnumerable<string> rowKeys, CancellationToken cancellationToken)
    {
        var pages = await Task.WhenAll(rowKeys.Distinct(StringComparer.Ordinal).Chunk(MaxComparisonsPerFilter - 1).Select(async keys =>
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}") + " and (" +
                string.Join(" or ", keys.Select(key => TableClient.CreateQueryFilter($"RowKey eq {key}"))) + ")";
            var rows = new List<TableEntity>(keys.Length);
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                rows.Add(entity);
            }

            return rows;
        }));
        return pages.SelectMany(rows => rows).ToDictionary(e => e.RowKey, StringComparer.Ordinal);
    }

    /// <summary>Submits the actions partition by partition, 100 at a time: the most one table transaction may hold.</summary>
    public static async Task SubmitAsync(TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        foreach (var partition in actions.GroupBy(a => a.Entity.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var batch in partition.Chunk(MaxActionsPerTransaction))
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
            }
        }
    }
}

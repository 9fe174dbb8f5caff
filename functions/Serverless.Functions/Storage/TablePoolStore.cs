using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Storage;

/// <summary>
/// Pools in the <c>Pools</c> table (PartitionKey = tenant, RowKey = pool; members and policy as JSON columns) and what
/// the evaluator reads of each in its partition of <c>PoolMembers</c> (<see cref="PoolPartitionRows"/>: members'
/// states, the evaluator's state, the readings), so a tick reads a pool once and writes its decision in one
/// transaction. A member without a state row is Inactive since the pool was written: rows appear with a member's first
/// transition, so a crash between the two tables loses nothing. The decision log is in <c>PoolEvents</c> (PartitionKey
/// = <c>{tenant}|{pool}</c>, RowKey = inverted time, so the newest come first). Evaluator states of pools from before
/// the state moved into the partition are in <c>PoolStates</c> (PartitionKey = tenant, RowKey = pool) until their
/// pool's next tick moves them.
/// </summary>
public sealed class TablePoolStore(TableProvider tables) : IPoolStore, IPoolRuntimeStore
{
    public async Task<PoolDefinition?> GetAsync(string tenantId, string poolId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Pools, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, poolId, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<IReadOnlyList<PoolDefinition>> ListAsync(string tenantId, int pageSize, string? afterId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Pools, cancellationToken);
        return await TableQueries.PageAsync(table, tenantId, pageSize, afterId, FromEntity, cancellationToken);
    }

    public async Task<IReadOnlyList<PoolDefinition>> ListAllAsync(string tenantId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Pools, cancellationToken);
        var all = new List<PoolDefinition>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenantId}"), cancellationToken: cancellationToken))
        {
            all.Add(FromEntity(entity));
        }

        return all;
    }

    public async Task<bool> TryAddAsync(PoolDefinition pool, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Pools, cancellationToken);
        try
        {
            await table.AddEntityAsync(ToEntity(pool), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return false;
        }

        // A pool of the same name deleted before may have left states behind if its deletion was interrupted.
        await DeleteRowsAsync(pool.TenantId, pool.PoolId, keep: null, cancellationToken);
        return true;
    }

    public async Task<bool> TryReplaceAsync(PoolDefinition pool, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Pools, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(ToEntity(pool), new ETag(pool.ETag ?? string.Empty), TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            return false;
        }

        await DeleteRowsAsync(pool.TenantId, pool.PoolId, [.. pool.Members.Select(m => m.MemberId)], cancellationToken);
        return true;
    }

    public async Task<bool> TryDeleteAsync(string tenantId, string poolId, string? etag, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Pools, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(tenantId, poolId, etag is null ? ETag.All : new ETag(etag), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            return false;
        }

        await DeleteRowsAsync(tenantId, poolId, keep: null, cancellationToken);
        var states = await tables.GetAsync(TableProvider.PoolStates, cancellationToken);
        await states.DeleteEntityAsync(tenantId, poolId, ETag.All, cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<PoolDefinition>> ListEveryPoolAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Pools, cancellationToken);
        var all = new List<PoolDefinition>();
        await foreach (var entity in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            all.Add(FromEntity(entity));
        }

        return all;
    }

    public async Task<PoolMemberStatus?> GetMemberStatusAsync(string tenantId, string poolId, string memberId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolMembers, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(MembersPartition(tenantId, poolId), memberId, cancellationToken: cancellationToken);
        return response.HasValue ? StatusFrom(tenantId, poolId, response.Value!) : null;
    }

    public async Task<bool> TrySetMemberStatusAsync(PoolMemberStatus next, string? expectedETag, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolMembers, cancellationToken);
        var entity = StatusEntity(next);
        return await TryWriteAsync(table, entity, expectedETag, cancellationToken);
    }

    public async Task<PoolRuntime> ReadTickAsync(string tenantId, string poolId, string metric, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolMembers, cancellationToken);
        var (from, to) = PoolPartitionRows.ReadingRange(metric, since);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {PoolPartitionRows.Partition(tenantId, poolId)} and (RowKey lt {PoolPartitionRows.OwnRowsFrom} or RowKey eq {PoolPartitionRows.StateRow} or (RowKey ge {from} and RowKey lt {to}))");
        var statuses = new List<PoolMemberStatus>();
        PoolState? state = null;
        var readings = new Dictionary<string, List<MetricPoint>>(StringComparer.Ordinal);
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey == PoolPartitionRows.StateRow)
            {
                state = StateFrom(tenantId, poolId, e);
            }
            else if (string.CompareOrdinal(e.RowKey, PoolPartitionRows.OwnRowsFrom) < 0)
            {
                statuses.Add(StatusFrom(tenantId, poolId, e));
            }
            else
            {
                var member = e.GetString("Member");
                (readings.TryGetValue(member, out var points) ? points : readings[member] = []).Add(new MetricPoint(e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetDouble("Value") ?? 0));
            }
        }

        // Pools written before the state moved into their partition: read the old row once; the tick's first write moves it.
        state ??= await LegacyStateAsync(tenantId, poolId, cancellationToken);
        return new PoolRuntime(statuses, state, readings.ToDictionary(r => r.Key, r => (IReadOnlyList<MetricPoint>)r.Value, StringComparer.Ordinal));
    }

    public async Task<bool> TryCommitAsync(PoolCommit commit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolMembers, cancellationToken);
        var partition = PoolPartitionRows.Partition(commit.TenantId, commit.PoolId);
        var actions = commit.Transitions.Select(t => Conditional(StatusEntity(t.Next), t.ExpectedETag)).ToList();
        if (commit.State is { } state)
        {
            actions.Add(Conditional(
                new TableEntity(partition, PoolPartitionRows.StateRow)
                {
                    ["LastChangeAt"] = state.LastChangeAt,
                    ["SubscribedAt"] = JsonSerializer.Serialize(state.SubscribedAt, StorageJsonContext.Default.IReadOnlyDictionaryStringDateTimeOffset),
                    ["SubscribedVersion"] = state.SubscribedVersion,
                    ["Spent"] = state.Spend?.Spent,
                    ["SpendRatePerHour"] = state.Spend?.RatePerHour,
                    ["SpendAccruedAt"] = state.Spend?.AccruedAt,
                    ["HeldByBudget"] = state.HeldByBudget,
                },
                state.ETag));
        }

        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException exception) when (exception.Status is 404 or 409 or 412)
        {
            return false;
        }

        if (commit.State is { ETag: null })
        {
            var legacy = await tables.GetAsync(TableProvider.PoolStates, cancellationToken);
            await legacy.DeleteEntityAsync(commit.TenantId, commit.PoolId, ETag.All, cancellationToken);
        }

        return true;
    }

    public async Task AddEventAsync(PoolEvent poolEvent, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolEvents, cancellationToken);
        var inverted = DateTimeOffset.MaxValue.UtcTicks - poolEvent.At.UtcTicks;
        await table.AddEntityAsync(
            new TableEntity(MembersPartition(poolEvent.TenantId, poolEvent.PoolId), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{inverted:D19}-{Guid.NewGuid():N}"))
            {
                ["At"] = poolEvent.At,
                ["Kind"] = poolEvent.Kind,
                ["Reason"] = poolEvent.Reason,
                ["Load"] = poolEvent.Load,
                ["Changes"] = JsonSerializer.Serialize(poolEvent.Changes, StorageJsonContext.Default.IReadOnlyListMemberChange),
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<PoolEvent>> ListEventsAsync(string tenantId, string poolId, int pageSize, DateTimeOffset? before, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolEvents, cancellationToken);
        var partition = MembersPartition(tenantId, poolId);
        var filter = before is { } at
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}~")}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        var events = new List<PoolEvent>(pageSize);
        await foreach (var e in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken))
        {
            events.Add(new PoolEvent(
                tenantId, poolId, e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetString("Kind"), e.GetString("Reason"), e.GetDouble("Load"),
                JsonSerializer.Deserialize(e.GetString("Changes") ?? "[]", StorageJsonContext.Default.IReadOnlyListMemberChange) ?? []));
            if (events.Count == pageSize)
            {
                break;
            }
        }

        return events;
    }

    public async Task<IReadOnlyList<PoolMemberStatus>> ListMemberStatusesAsync(string tenantId, string poolId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolMembers, cancellationToken);
        var statuses = new List<PoolMemberStatus>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {MembersPartition(tenantId, poolId)} and RowKey lt {PoolPartitionRows.OwnRowsFrom}");
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            statuses.Add(StatusFrom(tenantId, poolId, e));
        }

        return statuses;
    }

    /// <summary>Deletes the partition's rows, or with <paramref name="keep"/> only the states of members not in it.</summary>
    private async Task DeleteRowsAsync(string tenantId, string poolId, HashSet<string>? keep, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolMembers, cancellationToken);
        var filter = keep is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {MembersPartition(tenantId, poolId)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {MembersPartition(tenantId, poolId)} and RowKey lt {PoolPartitionRows.OwnRowsFrom}");
        var deletes = new List<TableTransactionAction>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (keep is null || !keep.Contains(entity.RowKey))
            {
                deletes.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
            }
        }

        await TableQueries.SubmitAsync(table, deletes, cancellationToken);
    }

    private async Task<PoolState?> LegacyStateAsync(string tenantId, string poolId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolStates, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, poolId, cancellationToken: cancellationToken);
        return response.HasValue ? StateFrom(tenantId, poolId, response.Value!) with { ETag = null } : null;
    }

    private static PoolState StateFrom(string tenantId, string poolId, TableEntity e) => new(
        tenantId,
        poolId,
        e.GetDateTimeOffset("LastChangeAt"),
        JsonSerializer.Deserialize(e.GetString("SubscribedAt") ?? "{}", StorageJsonContext.Default.IReadOnlyDictionaryStringDateTimeOffset) ?? new Dictionary<string, DateTimeOffset>(),
        e.GetString("SubscribedVersion"),
        e.ETag.ToString(),
        e.GetDateTimeOffset("SpendAccruedAt") is { } accruedAt ? new PoolSpend(e.GetDouble("Spent") ?? 0, e.GetDouble("SpendRatePerHour") ?? 0, accruedAt) : null,
        e.GetBoolean("HeldByBudget") ?? false);

    private static TableEntity StatusEntity(PoolMemberStatus status) => new(MembersPartition(status.TenantId, status.PoolId), status.MemberId)
    {
        ["State"] = status.State.ToString(),
        ["StateSince"] = status.StateSince,
        ["Reason"] = status.Reason,
        ["PendingCommandId"] = status.PendingCommandId,
    };

    private static TableTransactionAction Conditional(TableEntity entity, string? expectedETag) => expectedETag is null
        ? new TableTransactionAction(TableTransactionActionType.Add, entity)
        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(expectedETag));

    private static string MembersPartition(string tenantId, string poolId) => PoolPartitionRows.Partition(tenantId, poolId);

    /// <summary>Inserts when <paramref name="expectedETag"/> is null, else replaces at that version; false when another writer got there first.</summary>
    private static async Task<bool> TryWriteAsync(TableClient table, TableEntity entity, string? expectedETag, CancellationToken cancellationToken)
    {
        try
        {
            if (expectedETag is null)
            {
                await table.AddEntityAsync(entity, cancellationToken);
            }
            else
            {
                await table.UpdateEntityAsync(entity, new ETag(expectedETag), TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    private static PoolMemberStatus StatusFrom(string tenantId, string poolId, TableEntity e) => new(
        tenantId,
        poolId,
        e.RowKey,
        Enum.Parse<MemberState>(e.GetString("State")),
        e.GetDateTimeOffset("StateSince") ?? DateTimeOffset.MinValue,
        e.GetString("Reason"),
        e.GetString("PendingCommandId"),
        e.ETag.ToString());

    private static TableEntity ToEntity(PoolDefinition pool) => new(pool.TenantId, pool.PoolId)
    {
        ["ServiceKind"] = pool.ServiceKind.ToString(),
        ["Members"] = JsonSerializer.Serialize(pool.Members, StorageJsonContext.Default.IReadOnlyListPoolMember),
        ["Policy"] = JsonSerializer.Serialize(pool.Policy, StorageJsonContext.Default.PoolPolicy),
        ["CreatedAt"] = pool.CreatedAt,
        ["UpdatedAt"] = pool.UpdatedAt,
    };

    private static PoolDefinition FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey,
        Enum.Parse<ServiceKind>(e.GetString("ServiceKind")),
        JsonSerializer.Deserialize(e.GetString("Members"), StorageJsonContext.Default.IReadOnlyListPoolMember) ?? [],
        JsonSerializer.Deserialize(e.GetString("Policy"), StorageJsonContext.Default.PoolPolicy)!,
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
        e.ETag.ToString());
}

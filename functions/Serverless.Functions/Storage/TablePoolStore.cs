using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Storage;

/// <summary>
/// Pools in the <c>Pools</c> table (PartitionKey = tenant, RowKey = pool; members and policy as JSON columns) and their
/// members' states in <c>PoolMembers</c> (PartitionKey = <c>{tenant}|{pool}</c>, RowKey = member). A member without a
/// state row is Inactive since the pool was written: rows appear with a member's first transition, so a crash between
/// the two tables loses nothing. The evaluator's memory of a pool is in <c>PoolStates</c> (PartitionKey = tenant,
/// RowKey = pool) and its decision log in <c>PoolEvents</c> (PartitionKey = <c>{tenant}|{pool}</c>, RowKey = inverted
/// time, so the newest come first).
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
        await DeleteStatusesAsync(pool.TenantId, pool.PoolId, keep: [], cancellationToken);
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

        await DeleteStatusesAsync(pool.TenantId, pool.PoolId, [.. pool.Members.Select(m => m.MemberId)], cancellationToken);
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

        await DeleteStatusesAsync(tenantId, poolId, keep: [], cancellationToken);
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
        var entity = new TableEntity(MembersPartition(next.TenantId, next.PoolId), next.MemberId)
        {
            ["State"] = next.State.ToString(),
            ["StateSince"] = next.StateSince,
            ["Reason"] = next.Reason,
            ["PendingCommandId"] = next.PendingCommandId,
        };
        return await TryWriteAsync(table, entity, expectedETag, cancellationToken);
    }

    public async Task<PoolState?> GetStateAsync(string tenantId, string poolId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolStates, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, poolId, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var e = response.Value!;
        return new PoolState(
            tenantId,
            poolId,
            e.GetDateTimeOffset("LastChangeAt"),
            JsonSerializer.Deserialize(e.GetString("SubscribedAt") ?? "{}", StorageJsonContext.Default.IReadOnlyDictionaryStringDateTimeOffset) ?? new Dictionary<string, DateTimeOffset>(),
            e.GetString("SubscribedVersion"),
            e.ETag.ToString());
    }

    public async Task<bool> TrySetStateAsync(PoolState state, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolStates, cancellationToken);
        var entity = new TableEntity(state.TenantId, state.PoolId)
        {
            ["LastChangeAt"] = state.LastChangeAt,
            ["SubscribedAt"] = JsonSerializer.Serialize(state.SubscribedAt, StorageJsonContext.Default.IReadOnlyDictionaryStringDateTimeOffset),
            ["SubscribedVersion"] = state.SubscribedVersion,
        };
        return await TryWriteAsync(table, entity, state.ETag, cancellationToken);
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
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {MembersPartition(tenantId, poolId)}"), cancellationToken: cancellationToken))
        {
            statuses.Add(StatusFrom(tenantId, poolId, e));
        }

        return statuses;
    }

    private async Task DeleteStatusesAsync(string tenantId, string poolId, HashSet<string> keep, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolMembers, cancellationToken);
        var deletes = new List<TableTransactionAction>();
        await foreach (var entity in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {MembersPartition(tenantId, poolId)}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (!keep.Contains(entity.RowKey))
            {
                deletes.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
            }
        }

        await TableQueries.SubmitAsync(table, deletes, cancellationToken);
    }

    private static string MembersPartition(string tenantId, string poolId) => $"{tenantId}|{poolId}";

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

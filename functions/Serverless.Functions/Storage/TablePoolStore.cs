using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Storage;

/// <summary>
/// Pools in the <c>Pools</c> table (PartitionKey = tenant, RowKey = pool; members and policy as JSON columns) and what
/// the evaluator reads of them in <c>PoolRuntime</c> (<see cref="PoolRuntimeRows"/>: members' states, the evaluator's
/// state, the members' reading rings, pools grouped into a few partitions), so a tick reads a partition of pools with
/// one query and writes a pool's decision in one transaction. A pool's state row is written with the pool; a member
/// without a state row is Inactive since the pool was written: rows appear with a member's first transition, so a
/// crash between the two tables loses nothing. The decision log is in <c>PoolEvents</c> (PartitionKey =
/// <c>{tenant}|{pool}</c>, RowKey = inverted time, so the newest come first). Pools from before <c>PoolRuntime</c>
/// have their rows in <c>PoolMembers</c> and <c>PoolStates</c>; the first read that misses a pool's state row moves
/// them (<see cref="MigrateAsync"/>).
/// </summary>
public sealed class TablePoolStore(TableProvider tables) : IPoolStore, IPoolRuntimeStore
{
    /// <summary>A partition holding at least this many of the pools asked for is read whole, with one query; one pool alone by its key range.</summary>
    private const int WholePartitionFrom = 2;

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

        // A pool of the same name deleted before may have left rows behind if its deletion was interrupted.
        await DeleteRuntimeRowsAsync(pool.TenantId, pool.PoolId, keep: null, cancellationToken);
        await DeleteLegacyRowsAsync(pool.TenantId, pool.PoolId, history: true, cancellationToken);
        var runtime = await tables.GetAsync(TableProvider.PoolRuntime, cancellationToken);
        await runtime.UpsertEntityAsync(StateEntity(PoolState.Fresh(pool.TenantId, pool.PoolId)), TableUpdateMode.Replace, cancellationToken);
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

        await MigrateAsync(pool.TenantId, pool.PoolId, cancellationToken);
        await DeleteRuntimeRowsAsync(pool.TenantId, pool.PoolId, new Keep([.. pool.Members.Select(m => m.MemberId)], PoolWindowRing.For(pool.Policy)), cancellationToken);
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

        await DeleteRuntimeRowsAsync(tenantId, poolId, keep: null, cancellationToken);
        await DeleteLegacyRowsAsync(tenantId, poolId, history: true, cancellationToken);
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
        var table = await tables.GetAsync(TableProvider.PoolRuntime, cancellationToken);
        var partition = PoolRuntimeRows.Partition(tenantId, poolId);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, PoolRuntimeRows.MemberRow(tenantId, poolId, memberId), cancellationToken: cancellationToken);
        if (!response.HasValue && await MigrateAsync(tenantId, poolId, cancellationToken))
        {
            response = await table.GetEntityIfExistsAsync<TableEntity>(partition, PoolRuntimeRows.MemberRow(tenantId, poolId, memberId), cancellationToken: cancellationToken);
        }

        return response.HasValue ? StatusFrom(tenantId, poolId, memberId, response.Value!) : null;
    }

    public async Task<bool> TrySetMemberStatusAsync(PoolMemberStatus next, string? expectedETag, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolRuntime, cancellationToken);
        try
        {
            if (expectedETag is null)
            {
                await table.AddEntityAsync(StatusEntity(next), cancellationToken);
            }
            else
            {
                await table.UpdateEntityAsync(StatusEntity(next), new ETag(expectedETag), TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<PoolRuntime>> ReadTicksAsync(IReadOnlyList<PoolDefinition> pools, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolRuntime, cancellationToken);
        var reads = new Dictionary<(string, string), RuntimeRows>();
        foreach (var pool in pools)
        {
            reads[(pool.TenantId, pool.PoolId)] = new RuntimeRows(pool.Policy.Metric, now - PoolWindowRing.Lookback(pool.Policy));
        }

        var partitions = pools.GroupBy(p => PoolRuntimeRows.Partition(p.TenantId, p.PoolId), StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (partition, token) =>
        {
            var filters = partition.Count() >= WholePartitionFrom
                ? [TableClient.CreateQueryFilter($"PartitionKey eq {partition.Key}")]
                : partition.Select(p => PoolFilter(p.TenantId, p.PoolId)).ToList();
            foreach (var filter in filters)
            {
                await ReadRowsAsync(table, filter, reads, token);
            }
        });

        // Pools from before PoolRuntime have no state row there: moved now, once, then read again.
        foreach (var pool in pools.Where(p => reads[(p.TenantId, p.PoolId)].State is null))
        {
            if (await MigrateAsync(pool.TenantId, pool.PoolId, cancellationToken))
            {
                reads[(pool.TenantId, pool.PoolId)] = await ReadPoolAsync(table, pool.TenantId, pool.PoolId, reads[(pool.TenantId, pool.PoolId)].Empty(), cancellationToken);
            }
        }

        return [.. pools.Select(p => reads[(p.TenantId, p.PoolId)].ToRuntime())];
    }

    /// <summary>The most entities one table transaction takes.</summary>
    private const int MaxTransactionActions = 100;

    public async Task<IReadOnlyList<bool>> TryCommitAsync(IReadOnlyList<PoolCommit> commits, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolRuntime, cancellationToken);
        var written = new bool[commits.Count];
        var partitions = commits.Select((commit, index) => new PendingCommit(index, ActionsOf(commit)))
            .GroupBy(c => PoolRuntimeRows.Partition(commits[c.Index].TenantId, commits[c.Index].PoolId), StringComparer.Ordinal);
        await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (partition, token) =>
        {
            foreach (var batch in Batches(partition))
            {
                await CommitBatchAsync(table, batch, written, token);
            }
        });
        return written;
    }

    /// <summary>One pool's commit as the table actions it writes, all or nothing.</summary>
    private sealed record PendingCommit(int Index, List<TableTransactionAction> Actions);

    private static List<TableTransactionAction> ActionsOf(PoolCommit commit)
    {
        var actions = commit.Transitions.Select(t => Conditional(StatusEntity(t.Next), t.ExpectedETag)).ToList();
        if (commit.State is { } state)
        {
            actions.Add(Conditional(StateEntity(state), state.ETag));
        }

        return actions.Count <= MaxTransactionActions
            ? actions
            : throw new ArgumentException($"Pool '{commit.PoolId}' commits {actions.Count} rows; one transaction takes {MaxTransactionActions}.", nameof(commit));
    }

    /// <summary>A partition's commits packed into transactions of at most 100 entities, each commit whole in one.</summary>
    private static IEnumerable<List<PendingCommit>> Batches(IEnumerable<PendingCommit> commits)
    {
        var batch = new List<PendingCommit>();
        var size = 0;
        foreach (var commit in commits)
        {
            if (size + commit.Actions.Count > MaxTransactionActions)
            {
                yield return batch;
                (batch, size) = ([], 0);
            }

            batch.Add(commit);
            size += commit.Actions.Count;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>
    /// Submits the commits as one transaction; when a row of one of them changed since it was read, the storage names
    /// the failing entity, that commit is refused and the rest submitted again (each alone if the failure names none).
    /// </summary>
    private static async Task CommitBatchAsync(TableClient table, List<PendingCommit> batch, bool[] written, CancellationToken cancellationToken)
    {
        while (batch.Count > 0)
        {
            try
            {
                await table.SubmitTransactionAsync(batch.SelectMany(c => c.Actions), cancellationToken);
                foreach (var commit in batch)
                {
                    written[commit.Index] = true;
                }

                return;
            }
            catch (TableTransactionFailedException exception) when (exception.Status is 404 or 409 or 412)
            {
                if (batch.Count == 1)
                {
                    return;
                }

                if (exception.FailedTransactionActionIndex is not { } failed)
                {
                    foreach (var commit in batch)
                    {
                        await CommitBatchAsync(table, [commit], written, cancellationToken);
                    }

                    return;
                }

                var offset = 0;
                batch = [.. batch.Where(c =>
                {
                    var holdsFailed = failed >= offset && failed < offset + c.Actions.Count;
                    offset += c.Actions.Count;
                    return !holdsFailed;
                })];
            }
        }
    }

    public async Task AddEventAsync(PoolEvent poolEvent, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolEvents, cancellationToken);
        var inverted = DateTimeOffset.MaxValue.UtcTicks - poolEvent.At.UtcTicks;
        await table.AddEntityAsync(
            new TableEntity(PoolPartitionRows.Partition(poolEvent.TenantId, poolEvent.PoolId), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{inverted:D19}-{Guid.NewGuid():N}"))
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
        var partition = PoolPartitionRows.Partition(tenantId, poolId);
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
        var table = await tables.GetAsync(TableProvider.PoolRuntime, cancellationToken);
        var rows = await ReadPoolAsync(table, tenantId, poolId, RuntimeRows.StatesOnly(), cancellationToken);
        return rows.State is not null ? rows.Statuses : (await ReadLegacyAsync(tenantId, poolId, cancellationToken)).Statuses;
    }

    /// <summary>
    /// Moves a pool's rows from before <c>PoolRuntime</c> (members' states and the evaluator's state in
    /// <c>PoolMembers</c>, or that state in <c>PoolStates</c>) there, unless its state row is there already; writes a
    /// fresh state row when there is nothing to move. True when it wrote the state row. The move is one transaction
    /// conditional on the state row's absence, so of two movers one moves; the old rows are deleted after it.
    /// </summary>
    private async Task<bool> MigrateAsync(string tenantId, string poolId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolRuntime, cancellationToken);
        var partition = PoolRuntimeRows.Partition(tenantId, poolId);
        if ((await table.GetEntityIfExistsAsync<TableEntity>(partition, PoolRuntimeRows.StateRow(tenantId, poolId), ["RowKey"], cancellationToken)).HasValue)
        {
            return false;
        }

        var legacy = await ReadLegacyAsync(tenantId, poolId, cancellationToken);
        var present = await ReadPoolAsync(table, tenantId, poolId, RuntimeRows.StatesOnly(), cancellationToken);
        var written = present.Statuses.Select(s => s.MemberId).ToHashSet(StringComparer.Ordinal);
        var actions = legacy.Statuses
            .Where(s => !written.Contains(s.MemberId))
            .Select(s => new TableTransactionAction(TableTransactionActionType.Add, StatusEntity(s)))
            .Append(new TableTransactionAction(TableTransactionActionType.Add, StateEntity(legacy.State ?? PoolState.Fresh(tenantId, poolId))))
            .ToList();
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException exception) when (exception.Status == 409)
        {
            // Another mover got there first, or a member's row appeared since it was read: the pool's state row decides.
            return false;
        }

        await DeleteLegacyRowsAsync(tenantId, poolId, history: false, cancellationToken);
        return true;
    }

    private async Task<(IReadOnlyList<PoolMemberStatus> Statuses, PoolState? State)> ReadLegacyAsync(string tenantId, string poolId, CancellationToken cancellationToken)
    {
        var members = await tables.GetAsync(TableProvider.PoolMembers, cancellationToken);
        var statuses = new List<PoolMemberStatus>();
        PoolState? state = null;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {PoolPartitionRows.Partition(tenantId, poolId)} and (RowKey lt {PoolPartitionRows.OwnRowsFrom} or RowKey eq {PoolPartitionRows.StateRow})");
        await foreach (var e in members.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey == PoolPartitionRows.StateRow)
            {
                state = StateFrom(tenantId, poolId, e) with { ETag = null };
            }
            else
            {
                statuses.Add(StatusFrom(tenantId, poolId, e.RowKey, e) with { ETag = null });
            }
        }

        if (state is null)
        {
            var states = await tables.GetAsync(TableProvider.PoolStates, cancellationToken);
            var response = await states.GetEntityIfExistsAsync<TableEntity>(tenantId, poolId, cancellationToken: cancellationToken);
            state = response.HasValue ? StateFrom(tenantId, poolId, response.Value!) with { ETag = null } : null;
        }

        return (statuses, state);
    }

    /// <summary>
    /// A pool's rows from before <c>PoolRuntime</c>: its states in <c>PoolMembers</c> and <c>PoolStates</c>, and with
    /// <paramref name="history"/> its reading history too (a deleted pool's; a moved pool keeps its history).
    /// </summary>
    private async Task DeleteLegacyRowsAsync(string tenantId, string poolId, bool history, CancellationToken cancellationToken)
    {
        var members = await tables.GetAsync(TableProvider.PoolMembers, cancellationToken);
        var partition = PoolPartitionRows.Partition(tenantId, poolId);
        var filter = history
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and (RowKey lt {PoolPartitionRows.OwnRowsFrom} or RowKey eq {PoolPartitionRows.StateRow})");
        await DeleteWhereAsync(members, filter, _ => true, cancellationToken);
        var states = await tables.GetAsync(TableProvider.PoolStates, cancellationToken);
        await states.DeleteEntityAsync(tenantId, poolId, ETag.All, cancellationToken);
    }

    /// <summary>
    /// Deletes the pool's rows in <c>PoolRuntime</c>, or with <paramref name="keep"/> only the states and rings of
    /// members not in it and rings of another metric or geometry than its ring's.
    /// </summary>
    private async Task DeleteRuntimeRowsAsync(string tenantId, string poolId, Keep? keep, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.PoolRuntime, cancellationToken);
        await DeleteWhereAsync(table, PoolFilter(tenantId, poolId), e =>
        {
            if (keep is null)
            {
                return true;
            }

            PoolRuntimeRows.TrySplit(e.RowKey, out _, out _, out var rest);
            if (rest == PoolRuntimeRows.StateSuffix)
            {
                return false;
            }

            return PoolRuntimeRows.TrySplitRing(rest, out var metric, out var memberId)
                ? !keep.Members.Contains(memberId) || metric != keep.Ring.Metric || e.GetString(PoolRuntimeRows.RingGeometry) != keep.Ring.Geometry
                : !keep.Members.Contains(rest);
        }, cancellationToken);
    }

    private static async Task DeleteWhereAsync(TableClient table, string filter, Func<TableEntity, bool> delete, CancellationToken cancellationToken)
    {
        var deletes = new List<TableTransactionAction>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", PoolRuntimeRows.RingGeometry], cancellationToken: cancellationToken))
        {
            if (delete(entity))
            {
                deletes.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
            }
        }

        await TableQueries.SubmitAsync(table, deletes, cancellationToken);
    }

    private static string PoolFilter(string tenantId, string poolId) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {PoolRuntimeRows.Partition(tenantId, poolId)} and RowKey ge {PoolRuntimeRows.PoolPrefix(tenantId, poolId)} and RowKey lt {PoolRuntimeRows.PoolEnd(tenantId, poolId)}");

    /// <summary>One pool's rows, by its key range, into <paramref name="rows"/>.</summary>
    private static async Task<RuntimeRows> ReadPoolAsync(TableClient table, string tenantId, string poolId, RuntimeRows rows, CancellationToken cancellationToken)
    {
        await ReadRowsAsync(table, PoolFilter(tenantId, poolId), new Dictionary<(string, string), RuntimeRows> { [(tenantId, poolId)] = rows }, cancellationToken);
        return rows;
    }

    /// <summary>Sorts the rows of <paramref name="filter"/> into the runtimes of the pools asked for; rows of other pools are skipped.</summary>
    private static async Task ReadRowsAsync(TableClient table, string filter, IReadOnlyDictionary<(string, string), RuntimeRows> pools, CancellationToken cancellationToken)
    {
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (!PoolRuntimeRows.TrySplit(e.RowKey, out var tenantId, out var poolId, out var rest) || !pools.TryGetValue((tenantId, poolId), out var rows))
            {
                continue;
            }

            lock (rows)
            {
                if (rest == PoolRuntimeRows.StateSuffix)
                {
                    rows.State = StateFrom(tenantId, poolId, e);
                }
                else if (PoolRuntimeRows.TrySplitRing(rest, out var metric, out var memberId))
                {
                    if (metric == rows.Metric)
                    {
                        rows.AddRing(memberId, e);
                    }
                }
                else
                {
                    rows.Statuses.Add(StatusFrom(tenantId, poolId, rest, e));
                }
            }
        }
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

    private static TableEntity StateEntity(PoolState state) => new(PoolRuntimeRows.Partition(state.TenantId, state.PoolId), PoolRuntimeRows.StateRow(state.TenantId, state.PoolId))
    {
        ["LastChangeAt"] = state.LastChangeAt,
        ["SubscribedAt"] = JsonSerializer.Serialize(state.SubscribedAt, StorageJsonContext.Default.IReadOnlyDictionaryStringDateTimeOffset),
        ["SubscribedVersion"] = state.SubscribedVersion,
        ["Spent"] = state.Spend?.Spent,
        ["SpendRatePerHour"] = state.Spend?.RatePerHour,
        ["SpendAccruedAt"] = state.Spend?.AccruedAt,
        ["HeldByBudget"] = state.HeldByBudget,
    };

    private static TableEntity StatusEntity(PoolMemberStatus status) =>
        new(PoolRuntimeRows.Partition(status.TenantId, status.PoolId), PoolRuntimeRows.MemberRow(status.TenantId, status.PoolId, status.MemberId))
        {
            ["State"] = status.State.ToString(),
            ["StateSince"] = status.StateSince,
            ["Reason"] = status.Reason,
            ["PendingCommandId"] = status.PendingCommandId,
            ["ActivationSeconds"] = status.ActivationSeconds,
        };

    private static TableTransactionAction Conditional(TableEntity entity, string? expectedETag) => expectedETag is null
        ? new TableTransactionAction(TableTransactionActionType.Add, entity)
        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(expectedETag));

    private static PoolMemberStatus StatusFrom(string tenantId, string poolId, string memberId, TableEntity e) => new(
        tenantId,
        poolId,
        memberId,
        Enum.Parse<MemberState>(e.GetString("State")),
        e.GetDateTimeOffset("StateSince") ?? DateTimeOffset.MinValue,
        e.GetString("Reason"),
        e.GetString("PendingCommandId"),
        e.ETag.ToString(),
        e.GetInt32("ActivationSeconds"));

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

    /// <summary>What a pool's rewrite keeps in <c>PoolRuntime</c>: these members' rows and rings of this one.</summary>
    private sealed record Keep(HashSet<string> Members, PoolWindowRing Ring);

    /// <summary>One pool's rows as a read sorts them: readings of its metric within the window only.</summary>
    private sealed class RuntimeRows(string metric, DateTimeOffset since)
    {
        private readonly Dictionary<string, List<MetricPoint>> _readings = new(StringComparer.Ordinal);

        public string Metric => metric;

        public PoolState? State { get; set; }

        public List<PoolMemberStatus> Statuses { get; } = [];

        /// <summary>For reads of the states alone: no metric is any ring's.</summary>
        public static RuntimeRows StatesOnly() => new(string.Empty, DateTimeOffset.MaxValue);

        public RuntimeRows Empty() => new(metric, since);

        public void AddRing(string memberId, TableEntity ring)
        {
            var points = _readings.TryGetValue(memberId, out var list) ? list : _readings[memberId] = [];
            foreach (var (name, value) in ring)
            {
                if (name.Length > 1 && name[0] == 's' && char.IsAsciiDigit(name[1]) && PoolWindowRing.TryDecode(value as string, out var point) && point.At >= since)
                {
                    points.Add(point);
                }
            }
        }

        public PoolRuntime ToRuntime() => new(
            Statuses,
            State,
            _readings.ToDictionary(r => r.Key, r => (IReadOnlyList<MetricPoint>)[.. r.Value.OrderBy(p => p.At)], StringComparer.Ordinal));
    }
}

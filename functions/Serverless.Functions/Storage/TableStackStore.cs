using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Stacks;

namespace Serverless.Functions.Storage;

/// <summary>
/// Stacks in <c>Stacks</c> (PartitionKey = tenant, RowKey = stack; the record as JSON). Each stack's items and journal
/// share one partition of <c>StackJournal</c> (PartitionKey = <c>{tenant}|{stack}</c>; RowKey <c>item|{key}</c> and
/// <c>event|{run}|{sequence}</c>, zero-padded so they sort), so an entry and the item it moves are written in one
/// transaction. Plans in <c>StackPlans</c> (PartitionKey = <c>{tenant}|{stack}</c>, RowKey = plan id) as Brotli-compressed
/// JSON split over binary columns: a 1,000-item plan is larger than one column holds.
/// </summary>
public sealed class TableStackStore(TableProvider tables) : IStackStore
{
    private const string ItemPrefix = "item|";
    private const string EventPrefix = "event|";
    private const int ChunkBytes = 60_000;

    public async Task<StackRecord?> GetAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Stacks, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, name, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<IReadOnlyList<StackRecord>> ListAsync(string tenantId, int pageSize, string? afterName, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Stacks, cancellationToken);
        return await TableQueries.PageAsync(table, tenantId, pageSize, afterName, FromEntity, cancellationToken);
    }

    public async Task<bool> TryAddAsync(StackRecord stack, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Stacks, cancellationToken);
        try
        {
            await table.AddEntityAsync(ToEntity(stack), cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> TryReplaceAsync(StackRecord stack, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Stacks, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(ToEntity(stack), new ETag(stack.ETag ?? string.Empty), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task<StackItem?> GetItemAsync(string tenantId, string stack, string key, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.StackJournal, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition(tenantId, stack), ItemPrefix + key, cancellationToken: cancellationToken);
        return response.HasValue ? JsonSerializer.Deserialize(response.Value!.GetString("Item"), StorageJsonContext.Default.StackItem) : null;
    }

    public async Task<IReadOnlyList<StackItem>> ListItemsAsync(string tenantId, string stack, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.StackJournal, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(tenantId, stack)} and RowKey ge {ItemPrefix} and RowKey lt {"item}"}");
        var items = new List<StackItem>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            items.Add(JsonSerializer.Deserialize(entity.GetString("Item"), StorageJsonContext.Default.StackItem)!);
        }

        return items;
    }

    public async Task RecordAsync(string tenantId, string stack, StackEvent? entry, StackItem? item, string? removeKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.StackJournal, cancellationToken);
        var partition = Partition(tenantId, stack);
        var actions = new List<TableTransactionAction>();
        if (entry is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, EventEntity(partition, entry)));
        }

        if (item is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, ItemEntity(partition, item)));
        }
        else if (removeKey is not null && (await table.GetEntityIfExistsAsync<TableEntity>(partition, ItemPrefix + removeKey, ["RowKey"], cancellationToken)).HasValue)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, ItemPrefix + removeKey), ETag.All));
        }

        if (actions.Count > 0)
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    public Task ReplaceItemsAsync(string tenantId, string stack, IReadOnlyList<StackItem> items, IReadOnlyList<string> removeKeys, CancellationToken cancellationToken) =>
        RecordAllAsync(tenantId, stack, [], items, removeKeys, cancellationToken);

    public async Task RecordAllAsync(
        string tenantId, string stack, IReadOnlyList<StackEvent> entries, IReadOnlyList<StackItem> items, IReadOnlyList<string> removeKeys, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.StackJournal, cancellationToken);
        var partition = Partition(tenantId, stack);

        // A delete of a missing entity fails its whole transaction: remove only what is there.
        var existing = removeKeys.Count == 0 ? [] : (await ListItemsAsync(tenantId, stack, cancellationToken)).Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        await TableQueries.SubmitAsync(
            table,
            entries.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, EventEntity(partition, e)))
                .Concat(items.Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ItemEntity(partition, i))))
                .Concat(removeKeys.Where(existing.Contains).Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, ItemPrefix + k), ETag.All))),
            cancellationToken);
    }

    public async Task<IReadOnlyList<StackEvent>> ListEventsAsync(string tenantId, string stack, int pageSize, int afterRun, int afterSequence, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.StackJournal, cancellationToken);
        var after = afterSequence < 0 ? EventPrefix : EventKey(afterRun, afterSequence);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(tenantId, stack)} and RowKey gt {after} and RowKey lt {"event}"}");
        var events = new List<StackEvent>(pageSize);
        await foreach (var e in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken))
        {
            events.Add(new StackEvent(
                e.GetInt32("Run") ?? 0, e.GetInt32("Sequence") ?? 0, e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetString("Item"), e.GetString("Phase"), e.GetString("Message"),
                e.GetString("IdempotencyKey"), e.GetString("Undo"), e.GetString("Outcome")));
            if (events.Count == pageSize)
            {
                break;
            }
        }

        return events;
    }

    public async Task AddPlanAsync(StackPlan plan, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.StackPlans, cancellationToken);
        await table.UpsertEntityAsync(PlanEntity(plan), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<StackPlan?> GetPlanAsync(string tenantId, string stack, string planId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.StackPlans, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition(tenantId, stack), planId, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var entity = response.Value!;
        using var compressed = new MemoryStream();
        for (var i = 0; entity.GetBinary(Chunk(i)) is { } chunk; i++)
        {
            compressed.Write(chunk);
        }

        compressed.Position = 0;
        await using var json = new BrotliStream(compressed, CompressionMode.Decompress);
        var plan = await JsonSerializer.DeserializeAsync(json, StorageJsonContext.Default.StackPlan, cancellationToken);
        return plan! with { AppliedBy = entity.GetString("AppliedBy") };
    }

    public async Task MarkPlanAppliedAsync(string tenantId, string stack, string planId, string operationId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.StackPlans, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(Partition(tenantId, stack), planId) { ["AppliedBy"] = operationId }, TableUpdateMode.Merge, cancellationToken);
    }

    private static string Partition(string tenantId, string stack) => $"{tenantId}|{stack}";

    private static string EventKey(int run, int sequence) => string.Create(CultureInfo.InvariantCulture, $"{EventPrefix}{run:D6}|{sequence:D6}");

    private static string Chunk(int index) => string.Create(CultureInfo.InvariantCulture, $"Plan{index}");

    private static TableEntity ToEntity(StackRecord stack) => new(stack.TenantId, stack.Name)
    {
        ["Status"] = stack.Status.ToString(),
        ["Record"] = JsonSerializer.Serialize(stack with { ETag = null }, StorageJsonContext.Default.StackRecord),
    };

    private static StackRecord FromEntity(TableEntity entity) =>
        JsonSerializer.Deserialize(entity.GetString("Record"), StorageJsonContext.Default.StackRecord)! with { ETag = entity.ETag.ToString() };

    private static TableEntity ItemEntity(string partition, StackItem item) => new(partition, ItemPrefix + item.Key)
    {
        ["Item"] = JsonSerializer.Serialize(item, StorageJsonContext.Default.StackItem),
    };

    private static TableEntity EventEntity(string partition, StackEvent entry) => new(partition, EventKey(entry.Run, entry.Sequence))
    {
        ["Run"] = entry.Run,
        ["Sequence"] = entry.Sequence,
        ["At"] = entry.At,
        ["Item"] = entry.Item,
        ["Phase"] = entry.Phase,
        ["Message"] = entry.Message,
        ["IdempotencyKey"] = entry.IdempotencyKey,
        ["Undo"] = entry.Undo,
        ["Outcome"] = entry.Outcome,
    };

    private static TableEntity PlanEntity(StackPlan plan)
    {
        using var compressed = new MemoryStream();
        using (var brotli = new BrotliStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(brotli, plan with { AppliedBy = null }, StorageJsonContext.Default.StackPlan);
        }

        var entity = new TableEntity(Partition(plan.TenantId, plan.Stack), plan.PlanId) { ["CreatedAt"] = plan.CreatedAt, ["AppliedBy"] = plan.AppliedBy };
        var bytes = compressed.ToArray();
        for (var i = 0; i * ChunkBytes < bytes.Length; i++)
        {
            entity[Chunk(i)] = bytes.AsSpan(i * ChunkBytes, Math.Min(ChunkBytes, bytes.Length - (i * ChunkBytes))).ToArray();
        }

        return entity;
    }
}

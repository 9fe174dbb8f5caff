namespace Serverless.ControlPlane.Stacks;

/// <summary>Stacks, their items and journal, and their plans. Writes of a record are conditional on its ETag.</summary>
public interface IStackStore
{
    Task<StackRecord?> GetAsync(string tenantId, string name, CancellationToken cancellationToken);

    /// <summary>A page in name order after <paramref name="afterName"/>.</summary>
    Task<IReadOnlyList<StackRecord>> ListAsync(string tenantId, int pageSize, string? afterName, CancellationToken cancellationToken);

    /// <summary>False when a stack of that name exists.</summary>
    Task<bool> TryAddAsync(StackRecord stack, CancellationToken cancellationToken);

    /// <summary>False when the stored ETag is not <see cref="StackRecord.ETag"/>.</summary>
    Task<bool> TryReplaceAsync(StackRecord stack, CancellationToken cancellationToken);

    Task<StackItem?> GetItemAsync(string tenantId, string stack, string key, CancellationToken cancellationToken);

    Task<IReadOnlyList<StackItem>> ListItemsAsync(string tenantId, string stack, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a journal entry and the item it moves, together (one transaction): the item is replaced, or removed when
    /// <paramref name="item"/> is null and <paramref name="removeKey"/> names it. Writing the same entry again changes nothing more.
    /// </summary>
    Task RecordAsync(string tenantId, string stack, StackEvent? entry, StackItem? item, string? removeKey, CancellationToken cancellationToken);

    /// <summary>
    /// Writes many journal entries and the items they move, in transactions of up to 100 (the table's limit): items are
    /// replaced, or removed when <paramref name="removeKeys"/> names them. Writing the same entries again changes nothing more.
    /// </summary>
    Task RecordAllAsync(string tenantId, string stack, IReadOnlyList<StackEvent> entries, IReadOnlyList<StackItem> items, IReadOnlyList<string> removeKeys, CancellationToken cancellationToken);

    /// <summary>Replaces or removes many items at once (a run settling).</summary>
    Task ReplaceItemsAsync(string tenantId, string stack, IReadOnlyList<StackItem> items, IReadOnlyList<string> removeKeys, CancellationToken cancellationToken);

    /// <summary>Journal entries in order, after (<paramref name="afterRun"/>, <paramref name="afterSequence"/>).</summary>
    Task<IReadOnlyList<StackEvent>> ListEventsAsync(string tenantId, string stack, int pageSize, int afterRun, int afterSequence, CancellationToken cancellationToken);

    Task AddPlanAsync(StackPlan plan, CancellationToken cancellationToken);

    Task<StackPlan?> GetPlanAsync(string tenantId, string stack, string planId, CancellationToken cancellationToken);

    Task MarkPlanAppliedAsync(string tenantId, string stack, string planId, string operationId, CancellationToken cancellationToken);
}

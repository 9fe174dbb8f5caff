using System.Collections.Concurrent;
using System.Globalization;
using Serverless.ControlPlane.Stacks;

namespace Serverless.ControlPlane.Tests;

/// <summary>Stacks, items, journal and plans, with a version counter as ETag, as the tables give them; for service tests.</summary>
public sealed class InMemoryStackStore : IStackStore
{
    private readonly ConcurrentDictionary<(string, string), StackRecord> _stacks = new();
    private readonly ConcurrentDictionary<(string, string, string), StackItem> _items = new();
    private readonly ConcurrentDictionary<(string, string, int, int), StackEvent> _events = new();
    private readonly ConcurrentDictionary<(string, string, string), StackPlan> _plans = new();
    private int _version;

    public IEnumerable<StackEvent> Events(string tenantId, string stack) =>
        _events.Where(e => e.Key.Item1 == tenantId && e.Key.Item2 == stack).OrderBy(e => e.Key.Item3).ThenBy(e => e.Key.Item4).Select(e => e.Value);

    public Task<StackRecord?> GetAsync(string tenantId, string name, CancellationToken cancellationToken) => Task.FromResult(_stacks.GetValueOrDefault((tenantId, name)));

    public Task<IReadOnlyList<StackRecord>> ListAsync(string tenantId, int pageSize, string? afterName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StackRecord>>([.. _stacks.Values
            .Where(s => s.TenantId == tenantId && (afterName is null || string.CompareOrdinal(s.Name, afterName) > 0))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .Take(pageSize)]);

    public Task<bool> TryAddAsync(StackRecord stack, CancellationToken cancellationToken) => Task.FromResult(_stacks.TryAdd((stack.TenantId, stack.Name), Versioned(stack)));

    public Task<bool> TryReplaceAsync(StackRecord stack, CancellationToken cancellationToken)
    {
        var key = (stack.TenantId, stack.Name);
        return Task.FromResult(_stacks.TryGetValue(key, out var current) && current.ETag == stack.ETag && _stacks.TryUpdate(key, Versioned(stack), current));
    }

    public Task<StackItem?> GetItemAsync(string tenantId, string stack, string key, CancellationToken cancellationToken) =>
        Task.FromResult(_items.GetValueOrDefault((tenantId, stack, key)));

    public Task<IReadOnlyList<StackItem>> ListItemsAsync(string tenantId, string stack, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StackItem>>([.. _items.Where(i => i.Key.Item1 == tenantId && i.Key.Item2 == stack).OrderBy(i => i.Key.Item3, StringComparer.Ordinal).Select(i => i.Value)]);

    public Task RecordAsync(string tenantId, string stack, StackEvent? entry, StackItem? item, string? removeKey, CancellationToken cancellationToken)
    {
        if (entry is not null)
        {
            _events[(tenantId, stack, entry.Run, entry.Sequence)] = entry;
        }

        if (item is not null)
        {
            _items[(tenantId, stack, item.Key)] = item;
        }
        else if (removeKey is not null)
        {
            _items.TryRemove((tenantId, stack, removeKey), out _);
        }

        return Task.CompletedTask;
    }

    public Task RecordAllAsync(
        string tenantId, string stack, IReadOnlyList<StackEvent> entries, IReadOnlyList<StackItem> items, IReadOnlyList<string> removeKeys, CancellationToken cancellationToken)
    {
        foreach (var entry in entries)
        {
            _events[(tenantId, stack, entry.Run, entry.Sequence)] = entry;
        }

        return ReplaceItemsAsync(tenantId, stack, items, removeKeys, cancellationToken);
    }

    public Task ReplaceItemsAsync(string tenantId, string stack, IReadOnlyList<StackItem> items, IReadOnlyList<string> removeKeys, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            _items[(tenantId, stack, item.Key)] = item;
        }

        foreach (var key in removeKeys)
        {
            _items.TryRemove((tenantId, stack, key), out _);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StackEvent>> ListEventsAsync(string tenantId, string stack, int pageSize, int afterRun, int afterSequence, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StackEvent>>([.. Events(tenantId, stack).Where(e => e.Run > afterRun || (e.Run == afterRun && e.Sequence > afterSequence)).Take(pageSize)]);

    public Task AddPlanAsync(StackPlan plan, CancellationToken cancellationToken)
    {
        _plans[(plan.TenantId, plan.Stack, plan.PlanId)] = plan;
        return Task.CompletedTask;
    }

    public Task<StackPlan?> GetPlanAsync(string tenantId, string stack, string planId, CancellationToken cancellationToken) =>
        Task.FromResult(_plans.GetValueOrDefault((tenantId, stack, planId)));

    public Task MarkPlanAppliedAsync(string tenantId, string stack, string planId, string operationId, CancellationToken cancellationToken)
    {
        if (_plans.TryGetValue((tenantId, stack, planId), out var plan))
        {
            _plans[(tenantId, stack, planId)] = plan with { AppliedBy = operationId };
        }

        return Task.CompletedTask;
    }

    private StackRecord Versioned(StackRecord stack) => stack with { ETag = Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture) };
}

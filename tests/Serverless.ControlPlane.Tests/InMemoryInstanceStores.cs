using System.Collections.Concurrent;
using Serverless.ControlPlane.Instances;

namespace Serverless.ControlPlane.Tests;

/// <summary>Managed instances and hosts' reservations with a version counter as ETag, as a table gives them; for service tests.</summary>
public sealed class InMemoryInstanceStores : IManagedInstanceStore, IHostAllocationStore
{
    private readonly ConcurrentDictionary<(string, string), ManagedInstance> _instances = new();
    private readonly ConcurrentDictionary<(string, string), HostAllocation> _allocations = new();
    private int _version;
    private int _reads;

    /// <summary>How many times instance records were read by name (a read of many counts once).</summary>
    public int Reads => _reads;

    public Task<ManagedInstance?> GetAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult(_instances.GetValueOrDefault((tenantId, name)));
    }

    public Task<IReadOnlyList<ManagedInstance?>> GetManyAsync(string tenantId, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult<IReadOnlyList<ManagedInstance?>>([.. names.Select(name => _instances.GetValueOrDefault((tenantId, name)))]);
    }

    public Task<bool> TryAddAsync(ManagedInstance instance, CancellationToken cancellationToken) =>
        Task.FromResult(_instances.TryAdd((instance.TenantId, instance.Name), instance with { ETag = NextETag() }));

    public Task<bool> TryReplaceAsync(ManagedInstance instance, CancellationToken cancellationToken)
    {
        var key = (instance.TenantId, instance.Name);
        return Task.FromResult(_instances.TryGetValue(key, out var current) && current.ETag == instance.ETag && _instances.TryUpdate(key, instance with { ETag = NextETag() }, current));
    }

    public Task<IReadOnlyList<bool>> TryAddManyAsync(IReadOnlyList<ManagedInstance> instances, CancellationToken cancellationToken) =>
        OneByOneAsync(instances, TryAddAsync, cancellationToken);

    public Task<IReadOnlyList<bool>> TryReplaceManyAsync(IReadOnlyList<ManagedInstance> instances, CancellationToken cancellationToken) =>
        OneByOneAsync(instances, TryReplaceAsync, cancellationToken);

    /// <summary>A write of many as its writes of one, in order, as the table store does when a transaction is refused.</summary>
    private static async Task<IReadOnlyList<bool>> OneByOneAsync(
        IReadOnlyList<ManagedInstance> instances, Func<ManagedInstance, CancellationToken, Task<bool>> write, CancellationToken cancellationToken)
    {
        var written = new List<bool>(instances.Count);
        foreach (var instance in instances)
        {
            written.Add(await write(instance, cancellationToken));
        }

        return written;
    }

    public Task<bool> TryDeleteAsync(ManagedInstance instance, CancellationToken cancellationToken)
    {
        var key = (instance.TenantId, instance.Name);
        return Task.FromResult(_instances.TryGetValue(key, out var current) && current.ETag == instance.ETag && _instances.TryRemove(new KeyValuePair<(string, string), ManagedInstance>(key, current)));
    }

    public Task<IReadOnlyList<ManagedInstance>> ListEveryAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ManagedInstance>>([.. _instances.Values]);

    public Task<IReadOnlyList<ManagedInstance>> ListAllAsync(string tenantId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ManagedInstance>>([.. _instances.Values.Where(i => i.TenantId == tenantId).OrderBy(i => i.Name, StringComparer.Ordinal)]);

    public Task<IReadOnlyList<HostAllocation>> ListAsync(string tenantId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HostAllocation>>([.. _allocations.Values.Where(a => a.TenantId == tenantId)]);

    Task<HostAllocation?> IHostAllocationStore.GetAsync(string tenantId, string hostId, CancellationToken cancellationToken) =>
        Task.FromResult(_allocations.GetValueOrDefault((tenantId, hostId)));

    public Task<bool> TryWriteAsync(HostAllocation allocation, CancellationToken cancellationToken)
    {
        var key = (allocation.TenantId, allocation.HostId);
        var next = allocation with { ETag = NextETag() };
        if (allocation.ETag is null)
        {
            return Task.FromResult(_allocations.TryAdd(key, next));
        }

        return Task.FromResult(_allocations.TryGetValue(key, out var current) && current.ETag == allocation.ETag && _allocations.TryUpdate(key, next, current));
    }

    private string NextETag() => $"W/\"{Interlocked.Increment(ref _version)}\"";
}

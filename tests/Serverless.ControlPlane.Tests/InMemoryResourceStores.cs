using System.Collections.Concurrent;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Registration;

namespace Serverless.ControlPlane.Tests;

/// <summary>Resources with a version counter as ETag, as a table gives them, and instances; for service tests.</summary>
public sealed class InMemoryResourceStores : IResourceStore, IInstanceStore
{
    private readonly ConcurrentDictionary<(string, string), ResourceRegistration> _resources = new();
    private readonly ConcurrentDictionary<(string, string, string), ResourceInstance> _instances = new();
    private int _resourcePages;
    private int _version;

    Task<ResourceRegistration?> IResourceStore.GetAsync(string tenantId, string resourceId, CancellationToken cancellationToken) =>
        Task.FromResult(_resources.GetValueOrDefault((tenantId, resourceId)));

    public Task UpsertAsync(ResourceRegistration registration, CancellationToken cancellationToken)
    {
        _resources[(registration.TenantId, registration.ResourceId)] = Versioned(registration);
        return Task.CompletedTask;
    }

    public Task<bool> TryReplaceAsync(ResourceRegistration registration, CancellationToken cancellationToken)
    {
        var key = (registration.TenantId, registration.ResourceId);
        var replaced = _resources.TryGetValue(key, out var current)
            && current.ETag == registration.ETag
            && _resources.TryUpdate(key, Versioned(registration), current);
        return Task.FromResult(replaced);
    }

    public Task<IReadOnlyList<ResourceRegistration>> ListRegisteredHostsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ResourceRegistration>>([.. _resources.Values.Where(r => r is { Kind: ResourceKind.VirtualizationHost, State: RegistrationState.Registered })]);

    /// <summary>How many pages of a tenant's resources were read: what reading the capacity costs.</summary>
    public int ResourcePages => _resourcePages;

    Task<IReadOnlyList<ResourceRegistration>> IResourceStore.ListAsync(string tenantId, int pageSize, string? afterId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _resourcePages);
        return Task.FromResult<IReadOnlyList<ResourceRegistration>>(_resources.Values
            .Where(r => r.TenantId == tenantId && (afterId is null || string.CompareOrdinal(r.ResourceId, afterId) > 0))
            .OrderBy(r => r.ResourceId, StringComparer.Ordinal)
            .Take(pageSize)
            .ToList());
    }

    public Task<IReadOnlyList<ResourceInstance>> ListAsync(string tenantId, string resourceId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ResourceInstance>>(_instances.Values.Where(i => i.TenantId == tenantId && i.ResourceId == resourceId).ToList());

    public Task ReplaceAllAsync(string tenantId, string resourceId, IReadOnlyList<ResourceInstance> instances, CancellationToken cancellationToken)
    {
        foreach (var key in _instances.Keys.Where(k => k.Item1 == tenantId && k.Item2 == resourceId))
        {
            _instances.TryRemove(key, out _);
        }

        foreach (var instance in instances)
        {
            _instances[(tenantId, resourceId, instance.Name)] = instance;
        }

        return Task.CompletedTask;
    }

    public Task UpsertAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        _instances[(instance.TenantId, instance.ResourceId, instance.Name)] = instance;
        return Task.CompletedTask;
    }

    public async Task UpsertManyAsync(IReadOnlyList<ResourceInstance> instances, CancellationToken cancellationToken)
    {
        foreach (var instance in instances)
        {
            await UpsertAsync(instance, cancellationToken);
        }
    }

    public ResourceRegistration? Get(string tenantId, string resourceId) => _resources.GetValueOrDefault((tenantId, resourceId));

    private ResourceRegistration Versioned(ResourceRegistration registration) =>
        registration with { ETag = $"W/\"{Interlocked.Increment(ref _version)}\"" };
}

namespace Serverless.ControlPlane.Registration;

/// <summary>Resource persistence, partitioned by tenant; reads carry the record's ETag.</summary>
public interface IResourceStore
{
    Task<ResourceRegistration?> GetAsync(string tenantId, string resourceId, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the record; callers decide beforehand whether replacing is allowed.</summary>
    Task UpsertAsync(ResourceRegistration registration, CancellationToken cancellationToken);

    /// <summary>Replaces the record only if it is still at <see cref="ResourceRegistration.ETag"/>; false when it changed.</summary>
    Task<bool> TryReplaceAsync(ResourceRegistration registration, CancellationToken cancellationToken);

    /// <summary>Every tenant's registered virtualization hosts (state sync asks each what it runs).</summary>
    Task<IReadOnlyList<ResourceRegistration>> ListRegisteredHostsAsync(CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="pageSize"/> resources in id order, after <paramref name="afterId"/> when given.</summary>
    Task<IReadOnlyList<ResourceRegistration>> ListAsync(string tenantId, int pageSize, string? afterId, CancellationToken cancellationToken);
}

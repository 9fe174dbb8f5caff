namespace Serverless.ControlPlane.Registration;

/// <summary>Resource persistence, partitioned by tenant.</summary>
public interface IResourceStore
{
    Task<ResourceRegistration?> GetAsync(string tenantId, string resourceId, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the record; callers decide beforehand whether replacing is allowed.</summary>
    Task UpsertAsync(ResourceRegistration registration, CancellationToken cancellationToken);
}

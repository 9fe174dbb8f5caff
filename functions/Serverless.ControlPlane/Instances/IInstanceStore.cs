namespace Serverless.ControlPlane.Instances;

/// <summary>Instances of virtualization hosts, partitioned by tenant and grouped by host.</summary>
public interface IInstanceStore
{
    Task<IReadOnlyList<ResourceInstance>> ListAsync(string tenantId, string resourceId, CancellationToken cancellationToken);

    /// <summary>Makes the host's recorded instances exactly <paramref name="instances"/>.</summary>
    Task ReplaceAllAsync(string tenantId, string resourceId, IReadOnlyList<ResourceInstance> instances, CancellationToken cancellationToken);

    Task UpsertAsync(ResourceInstance instance, CancellationToken cancellationToken);

    /// <summary><see cref="UpsertAsync"/> for many, written together where the store can.</summary>
    Task UpsertManyAsync(IReadOnlyList<ResourceInstance> instances, CancellationToken cancellationToken);
}

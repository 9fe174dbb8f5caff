namespace Serverless.ControlPlane.Instances;

/// <summary>Managed instances, partitioned by tenant, keyed by name.</summary>
public interface IManagedInstanceStore
{
    Task<ManagedInstance?> GetAsync(string tenantId, string name, CancellationToken cancellationToken);

    /// <summary>Inserts the record; false when one of that name exists.</summary>
    Task<bool> TryAddAsync(ManagedInstance instance, CancellationToken cancellationToken);

    /// <summary>Replaces the record only if it is still at <see cref="ManagedInstance.ETag"/>; false when it changed.</summary>
    Task<bool> TryReplaceAsync(ManagedInstance instance, CancellationToken cancellationToken);

    /// <summary>Deletes the record only if it is still at <see cref="ManagedInstance.ETag"/>; false when it changed or is gone.</summary>
    Task<bool> TryDeleteAsync(ManagedInstance instance, CancellationToken cancellationToken);

    /// <summary>Every instance of every tenant (state sync asks each host that holds one).</summary>
    Task<IReadOnlyList<ManagedInstance>> ListEveryAsync(CancellationToken cancellationToken);

    /// <summary>Every instance of the tenant, in name order.</summary>
    Task<IReadOnlyList<ManagedInstance>> ListAllAsync(string tenantId, CancellationToken cancellationToken);
}

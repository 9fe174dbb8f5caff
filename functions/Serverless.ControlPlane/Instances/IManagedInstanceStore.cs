namespace Serverless.ControlPlane.Instances;

/// <summary>Managed instances, partitioned by tenant, keyed by name.</summary>
public interface IManagedInstanceStore
{
    Task<ManagedInstance?> GetAsync(string tenantId, string name, CancellationToken cancellationToken);

    /// <summary>The records of <paramref name="names"/>, in their order, null for a name with none: a few reads for many.</summary>
    Task<IReadOnlyList<ManagedInstance?>> GetManyAsync(string tenantId, IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <summary>Inserts the record; false when one of that name exists.</summary>
    Task<bool> TryAddAsync(ManagedInstance instance, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="TryAddAsync"/> for many records, answered in their order. Written together where the store can (one
    /// request for up to a hundred of a tenant), one by one where a name is taken.
    /// </summary>
    Task<IReadOnlyList<bool>> TryAddManyAsync(IReadOnlyList<ManagedInstance> instances, CancellationToken cancellationToken);

    /// <summary>Replaces the record only if it is still at <see cref="ManagedInstance.ETag"/>; false when it changed.</summary>
    Task<bool> TryReplaceAsync(ManagedInstance instance, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="TryReplaceAsync"/> for many records, answered in their order: each replaced only if still at its ETag.
    /// Written together where the store can (one request for up to a hundred of a tenant), one by one where that fails.
    /// </summary>
    Task<IReadOnlyList<bool>> TryReplaceManyAsync(IReadOnlyList<ManagedInstance> instances, CancellationToken cancellationToken);

    /// <summary>Deletes the record only if it is still at <see cref="ManagedInstance.ETag"/>; false when it changed or is gone.</summary>
    Task<bool> TryDeleteAsync(ManagedInstance instance, CancellationToken cancellationToken);

    /// <summary>Every instance of every tenant (state sync asks each host that holds one).</summary>
    Task<IReadOnlyList<ManagedInstance>> ListEveryAsync(CancellationToken cancellationToken);

    /// <summary>Every instance of the tenant, in name order.</summary>
    Task<IReadOnlyList<ManagedInstance>> ListAllAsync(string tenantId, CancellationToken cancellationToken);
}

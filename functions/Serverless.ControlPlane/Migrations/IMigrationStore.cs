namespace Serverless.ControlPlane.Migrations;

/// <summary>Migrations, partitioned by tenant, keyed by id. Writes of a record are conditional on its ETag.</summary>
public interface IMigrationStore
{
    Task<MigrationRecord?> GetAsync(string tenantId, string id, CancellationToken cancellationToken);

    /// <summary>False when a migration of that id exists.</summary>
    Task<bool> TryAddAsync(MigrationRecord migration, CancellationToken cancellationToken);

    /// <summary>False when the stored ETag is not <see cref="MigrationRecord.ETag"/>.</summary>
    Task<bool> TryReplaceAsync(MigrationRecord migration, CancellationToken cancellationToken);

    /// <summary>Every migration of the tenant, newest first.</summary>
    Task<IReadOnlyList<MigrationRecord>> ListAsync(string tenantId, CancellationToken cancellationToken);
}

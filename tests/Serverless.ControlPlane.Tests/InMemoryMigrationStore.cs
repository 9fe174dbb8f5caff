using System.Collections.Concurrent;
using System.Globalization;
using Serverless.Contracts.Migrations;
using Serverless.ControlPlane.Migrations;

namespace Serverless.ControlPlane.Tests;

/// <summary>Migrations with a version counter as ETag, and blob grants recorded instead of signed; for service tests.</summary>
public sealed class InMemoryMigrationStore : IMigrationStore, IInstanceStateBlobs
{
    private readonly ConcurrentDictionary<(string, string), MigrationRecord> _migrations = new();
    private int _version;

    public ConcurrentQueue<(string MigrationId, TransferArtifact Artifact, BlobAccess Access, DateTimeOffset ExpiresAt)> Grants { get; } = new();

    public ConcurrentQueue<string> Deleted { get; } = new();

    public Task<MigrationRecord?> GetAsync(string tenantId, string id, CancellationToken cancellationToken) => Task.FromResult(_migrations.GetValueOrDefault((tenantId, id)));

    public Task<bool> TryAddAsync(MigrationRecord migration, CancellationToken cancellationToken) =>
        Task.FromResult(_migrations.TryAdd((migration.TenantId, migration.Id), Versioned(migration)));

    public Task<bool> TryReplaceAsync(MigrationRecord migration, CancellationToken cancellationToken)
    {
        var key = (migration.TenantId, migration.Id);
        return Task.FromResult(_migrations.TryGetValue(key, out var current) && current.ETag == migration.ETag && _migrations.TryUpdate(key, Versioned(migration), current));
    }

    public Task<IReadOnlyList<MigrationRecord>> ListAsync(string tenantId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MigrationRecord>>([.. _migrations.Values.Where(m => m.TenantId == tenantId).OrderByDescending(m => m.CreatedAt)]);

    public Task<BlobAccessGrant> GrantAsync(
        string tenantId, string migrationId, TransferArtifact artifact, BlobAccess access, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        Grants.Enqueue((migrationId, artifact, access, expiresAt));
        return Task.FromResult(new BlobAccessGrant($"https://blobs.test/instance-state/{tenantId}/{migrationId}/{artifact}?sig=x", expiresAt));
    }

    public Task<int> DeleteAsync(string tenantId, string migrationId, CancellationToken cancellationToken)
    {
        Deleted.Enqueue(migrationId);
        return Task.FromResult(2);
    }

    private MigrationRecord Versioned(MigrationRecord migration) => migration with { ETag = Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture) };
}

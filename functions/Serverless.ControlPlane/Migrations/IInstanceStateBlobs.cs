using Serverless.Contracts.Migrations;

namespace Serverless.ControlPlane.Migrations;

/// <summary>
/// The block blobs a migration moves an instance through (container <c>instance-state</c>), and SAS grants for exactly
/// one of them. The control plane holds the storage credential; agents only ever get a grant.
/// </summary>
public interface IInstanceStateBlobs
{
    /// <summary>A SAS URL for the one blob, with read, create and write rights (a source's upload) or read only (a target's download).</summary>
    Task<BlobAccessGrant> GrantAsync(string tenantId, string migrationId, TransferArtifact artifact, BlobAccess access, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Deletes the migration's blobs (their uncommitted blocks too); says how many there were.</summary>
    Task<int> DeleteAsync(string tenantId, string migrationId, CancellationToken cancellationToken);
}

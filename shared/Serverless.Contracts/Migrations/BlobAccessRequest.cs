namespace Serverless.Contracts.Migrations;

/// <summary>
/// An agent asks the control plane (<c>POST /api/v1/agent/blob-access</c>) for a SAS of one blob of a migration it takes
/// part in: write for the source agent group while it uploads, read for the target's while it restores.
/// </summary>
/// <param name="SchemaVersion">The wire schema version.</param>
/// <param name="MigrationId">The migration.</param>
/// <param name="Artifact">Which of its blobs.</param>
/// <param name="Access">What the agent needs to do.</param>
public sealed record BlobAccessRequest(int SchemaVersion, string MigrationId, TransferArtifact Artifact, BlobAccess Access);

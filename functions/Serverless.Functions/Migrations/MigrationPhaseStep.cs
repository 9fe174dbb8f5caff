using Serverless.Contracts.Migrations;
using Serverless.ControlPlane.Migrations;

namespace Serverless.Functions.Migrations;

/// <summary>A phase reached, with what the step before it learnt (the blobs' digests, bytes moved).</summary>
public sealed record MigrationPhaseStep(string TenantId, string MigrationId, MigrationPhase Phase, BlobDigest? State = null, BlobDigest? Disk = null, long? BytesMoved = null);

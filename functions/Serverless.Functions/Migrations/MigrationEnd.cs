using Serverless.ControlPlane.Migrations;

namespace Serverless.Functions.Migrations;

/// <summary>How a migration ended; also the workflow's result.</summary>
public sealed record MigrationEnd(string TenantId, string MigrationId, MigrationStatus Status, string? Reason, IReadOnlyList<string> Refusals, bool? CutoverWouldSucceed = null);

using Serverless.ControlPlane.Migrations;

namespace Serverless.Functions.Migrations;

/// <summary>When a phase began and ended, and how long it took.</summary>
public sealed record MigrationPhaseResponse(MigrationPhase Phase, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, double? Seconds);

namespace Serverless.ControlPlane.Migrations;

/// <summary>When a phase began and ended.</summary>
public sealed record MigrationPhaseTiming(MigrationPhase Phase, DateTimeOffset StartedAt, DateTimeOffset? EndedAt);

using Serverless.ControlPlane.Migrations;

namespace Serverless.Functions.Migrations;

/// <summary>
/// The migration did not commit: the instance is back at its source (running, or not when the fallback failed). No
/// reason when nothing went wrong: a test migration whose copy ran.
/// </summary>
public sealed record MigrationSettlement(MigrationPlan Plan, bool SourceRunning, string? Reason);

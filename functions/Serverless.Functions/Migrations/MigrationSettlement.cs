using Serverless.ControlPlane.Migrations;

namespace Serverless.Functions.Migrations;

/// <summary>The migration did not commit: the instance is back at its source (running, or not when the fallback failed).</summary>
public sealed record MigrationSettlement(MigrationPlan Plan, bool SourceRunning, string Reason);

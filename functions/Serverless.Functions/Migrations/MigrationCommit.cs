using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Migrations;

namespace Serverless.Functions.Migrations;

/// <summary>The instance runs at the target, from <paramref name="TargetVolume"/>: move its record there.</summary>
public sealed record MigrationCommit(MigrationPlan Plan, InstanceVolume? TargetVolume);

using Serverless.Contracts.Instances;
using Serverless.Contracts.Migrations;

namespace Serverless.ControlPlane.Migrations;

/// <summary>The migration workflow's input: everything its commands name, fixed when the migration was accepted.</summary>
public sealed record MigrationPlan(
    string TenantId,
    string MigrationId,
    string Instance,
    string InstanceId,
    string? Image,
    int VirtualCpus,
    int MemoryMiB,
    string? AntiAffinityGroup,
    string? SpreadGroup,
    string SourceZone,
    string SourceHost,
    string SourceUri,
    InstanceVolume? SourceVolume,
    string TargetZone,
    string TargetHost,
    string TargetUri,
    TransferTuning Tuning,
    int StepTimeoutSeconds,
    int RetainHours,
    MigrationHealthCheck? HealthCheck = null,
    MigrationMode Mode = MigrationMode.Cutover);

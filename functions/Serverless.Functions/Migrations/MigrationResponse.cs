using Serverless.ControlPlane.Migrations;

namespace Serverless.Functions.Migrations;

/// <summary>A migration: where it moves the instance from and to, its phase, bytes and the time each phase took.</summary>
public sealed record MigrationResponse(
    string Id,
    string Instance,
    MigrationEndpointResponse Source,
    MigrationEndpointResponse Target,
    MigrationPhase Phase,
    MigrationStatus Status,
    MigrationMode Mode,
    bool? CutoverWouldSucceed,
    string? Reason,
    IReadOnlyList<string> Refusals,
    MigrationBytesResponse Bytes,
    IReadOnlyList<MigrationPhaseResponse> Phases,
    int RetainHours,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string OperationUrl)
{
    public static MigrationResponse From(MigrationRecord migration) => new(
        migration.Id,
        migration.Instance,
        new MigrationEndpointResponse(migration.SourceZone, migration.SourceHost),
        new MigrationEndpointResponse(migration.TargetZone, migration.TargetHost),
        migration.Phase,
        migration.Status,
        migration.Mode,
        migration.CutoverWouldSucceed,
        migration.Reason,
        migration.Refusals,
        new MigrationBytesResponse(migration.State?.Bytes, migration.Disk?.Bytes, migration.BytesMoved),
        [.. migration.Phases.Select(p => new MigrationPhaseResponse(p.Phase, p.StartedAt, p.EndedAt, p.EndedAt is { } ended ? (ended - p.StartedAt).TotalSeconds : null))],
        migration.RetainHours,
        migration.CreatedAt,
        migration.UpdatedAt,
        $"/api/v1/operations/{migration.Id}");
}

using Serverless.Contracts.Instances;
using Serverless.Contracts.Migrations;

namespace Serverless.ControlPlane.Migrations;

/// <summary>
/// One migration of one instance, as the API shows it. Its id is also its operation's id. Only the migration's workflow
/// writes it after it was accepted.
/// </summary>
public sealed record MigrationRecord
{
    public required string TenantId { get; init; }

    public required string Id { get; init; }

    public required string Instance { get; init; }

    public required string SourceZone { get; init; }

    public required string SourceHost { get; init; }

    public required string TargetZone { get; init; }

    public required string TargetHost { get; init; }

    public required MigrationPhase Phase { get; init; }

    public required MigrationStatus Status { get; init; }

    public MigrationMode Mode { get; init; }

    /// <summary>A test migration's verdict once it ended: whether the copy ran at the target; null for a cutover or while it runs.</summary>
    public bool? CutoverWouldSucceed { get; init; }

    /// <summary>Why it was refused, rolled back or failed; or what went wrong after commit that did not undo it.</summary>
    public string? Reason { get; init; }

    /// <summary>Every reason a preflight check gave.</summary>
    public IReadOnlyList<string> Refusals { get; init; } = [];

    public int RetainHours { get; init; }

    /// <summary>The saved state file as uploaded, once it is.</summary>
    public BlobDigest? State { get; init; }

    /// <summary>The disk file as uploaded, when the disk moved.</summary>
    public BlobDigest? Disk { get; init; }

    /// <summary>Bytes sent to and read from Blob Storage so far.</summary>
    public long BytesMoved { get; init; }

    /// <summary>The disk at the target, once restored.</summary>
    public InstanceVolume? TargetVolume { get; init; }

    public IReadOnlyList<MigrationPhaseTiming> Phases { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public string? ETag { get; init; }
}

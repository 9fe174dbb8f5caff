using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Migrations;

/// <summary>Where a migration is, in order; <see cref="FallingBack"/> replaces the rest when a step before commit fails.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<MigrationPhase>))]
public enum MigrationPhase
{
    /// <summary>The target's capacity is reserved and both hosts are asked whether the restore can work; nothing changes at the source.</summary>
    Preflight,

    /// <summary>The source domain is paused in memory.</summary>
    Quiesce,

    /// <summary>The source saves its memory to a state file and stops.</summary>
    Save,

    /// <summary>The state file (and a disk file) go to Blob Storage.</summary>
    Upload,

    /// <summary>The target downloads, checks and restores the domain, paused.</summary>
    Restore,

    /// <summary>The target resumes the domain and reports it running.</summary>
    Verify,

    /// <summary>The instance's record moves to the target: from here on the migration cannot be undone.</summary>
    Commit,

    /// <summary>The source's saved domain, disk and state file, and the blobs, are removed; in a test, the copy at the target and the blobs.</summary>
    CleanUp,

    /// <summary>What was made at the target is removed and the source runs again from its saved state.</summary>
    FallingBack,

    /// <summary>Ended; see the status.</summary>
    Done,
}

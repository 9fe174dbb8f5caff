using System.ComponentModel.DataAnnotations;

namespace Serverless.ControlPlane.Migrations;

/// <summary>How migrations move data (section <c>Migrations</c>).</summary>
public sealed class MigrationOptions
{
    public const string SectionName = "Migrations";

    /// <summary>
    /// Block size of uploads and downloads, in KiB (8 MiB by default: Azure's throughput per request grows to about that
    /// size). A file needing more than 50,000 blocks gets larger ones.
    /// </summary>
    [Range(64, 102_400)]
    public int BlockSizeKiB { get; set; } = 8192;

    /// <summary>Blocks in flight at once per file.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// How long a step's command may take beyond its transfer (a file's upload or download is given a further second per
    /// 4 MiB); a step that takes longer fails and the migration falls back.
    /// </summary>
    [Range(5, 3600)]
    public int StepTimeoutSeconds { get; set; } = 120;

    /// <summary>How long a SAS the control plane grants an agent for one blob lasts; agents ask again before it ends.</summary>
    [Range(5, 24 * 60)]
    public int SasLifetimeMinutes { get; set; } = 60;
}

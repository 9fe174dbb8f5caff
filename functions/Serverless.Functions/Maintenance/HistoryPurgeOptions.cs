using System.ComponentModel.DataAnnotations;

namespace Serverless.Functions.Maintenance;

public sealed class HistoryPurgeOptions
{
    public const string SectionName = "HistoryPurge";

    /// <summary>Finished orchestrations older than this many hours are purged (0 purges every finished one).</summary>
    [Range(0, 87_600)]
    public int RetentionHours { get; set; } = 168;
}

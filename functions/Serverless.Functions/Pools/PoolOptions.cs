using System.ComponentModel.DataAnnotations;

namespace Serverless.Functions.Pools;

public sealed class PoolOptions
{
    public const string SectionName = "Pools";

    /// <summary>How many partitions each evaluation tick splits the pools into; each is one activity, run on any instance.</summary>
    [Range(1, 256)]
    public int Partitions { get; set; } = 4;

    /// <summary>Metric readings older than this are deleted by the purge timer.</summary>
    [Range(10, 10_080)]
    public int MetricsRetentionMinutes { get; set; } = 60;
}

using System.ComponentModel.DataAnnotations;

namespace Serverless.Functions.Pools;

public sealed class PoolOptions
{
    public const string SectionName = "Pools";

    /// <summary>How many partitions each evaluation tick splits the pools into; each is one activity, run on any instance.</summary>
    [Range(1, 256)]
    public int Partitions { get; set; } = 4;

    /// <summary>
    /// A tick still unfinished this long after it started is taken for stuck: the next tick terminates it and starts.
    /// Younger unfinished ticks make the next one skip.
    /// </summary>
    [Range(30, 3600)]
    public int TickTimeoutSeconds { get; set; } = 300;

    /// <summary>Metric readings older than this are deleted by the purge timer.</summary>
    [Range(10, 10_080)]
    public int MetricsRetentionMinutes { get; set; } = 60;
}

namespace Serverless.Contracts.Agents;

/// <summary>Metric samples an agent collected, posted to <c>POST /api/v1/agent/metrics</c>; idempotent by batch id.</summary>
/// <param name="SchemaVersion">Schema version of this message, see <see cref="SchemaVersions"/>.</param>
/// <param name="BatchId">Unique per batch; a batch posted twice is stored once.</param>
/// <param name="AgentId">The agent that collected the samples.</param>
/// <param name="AgentGroup">Its agent group.</param>
/// <param name="Samples">The samples, at most <see cref="MaxSamples"/>.</param>
public sealed record MetricBatch(
    int SchemaVersion,
    string BatchId,
    string AgentId,
    string AgentGroup,
    IReadOnlyList<MetricSample> Samples)
{
    /// <summary>The most samples one batch may carry.</summary>
    public const int MaxSamples = 250;
}

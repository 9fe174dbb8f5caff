using Serverless.Contracts.Agents;

namespace Serverless.Contracts.Snmp;

/// <summary>
/// Output of <c>metrics.poll</c>: the samples read, and one failure per member that could not be read. Gauges are
/// reported as read (times the profile's scale); counters as a rate per second since the agent's previous poll of the
/// same member, so a counter's first poll yields no sample.
/// </summary>
/// <param name="Samples">The samples.</param>
/// <param name="Failures">Members without samples, and why.</param>
public sealed record MetricsPollOutput(IReadOnlyList<MetricSample> Samples, IReadOnlyList<MetricsPollFailure> Failures);

namespace Serverless.Contracts.Snmp;

/// <summary>Payload of <c>metrics.poll</c>: read the load metrics of many members at once.</summary>
/// <param name="Targets">The members, at most <see cref="MaxTargets"/>; members of one device are read together.</param>
public sealed record MetricsPollPayload(IReadOnlyList<MetricsPollTarget> Targets)
{
    /// <summary>The most members one poll may read.</summary>
    public const int MaxTargets = 1000;
}

using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Pools;

/// <summary>A pool's readings of its metric since <c>since</c>, per member, and the thresholds its policy holds them to.</summary>
public sealed record PoolMetricsResponse(
    string PoolId, string Metric, double ActivateAbove, double DeactivateBelow, DateTimeOffset Since, IReadOnlyList<PoolMemberReadingsResponse> Members)
{
    public static PoolMetricsResponse From(PoolMetrics metrics) => new(
        metrics.Pool.PoolId,
        metrics.Pool.Policy.Metric,
        metrics.Pool.Policy.ActivateAbove,
        metrics.Pool.Policy.DeactivateBelow,
        metrics.Since,
        [.. metrics.Pool.Members.Select(m => new PoolMemberReadingsResponse(
            m.MemberId, m.Zone, [.. metrics.Readings[m.MemberId].Select(p => new PoolReadingResponse(p.At, p.Value))]))]);
}

/// <summary>One member's readings, oldest first.</summary>
public sealed record PoolMemberReadingsResponse(string Id, string Zone, IReadOnlyList<PoolReadingResponse> Readings);

public sealed record PoolReadingResponse(DateTimeOffset At, double Value);

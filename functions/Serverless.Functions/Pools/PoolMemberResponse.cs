using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Pools;

/// <summary>A member as the API shows it: where it lives, its state since when and why, and its latest reading of the pool's metric.</summary>
public sealed record PoolMemberResponse(
    string Id,
    string Resource,
    string Zone,
    string? Index,
    string? Instance,
    MemberState State,
    DateTimeOffset StateSince,
    string? Reason,
    double? LatestMetric,
    DateTimeOffset? LatestMetricAt);

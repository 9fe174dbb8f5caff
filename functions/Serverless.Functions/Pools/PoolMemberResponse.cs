using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Pools;

/// <summary>
/// A member as the API shows it: where it lives, its state since when and why, its latest reading of the pool's metric,
/// what it costs per hour while it runs (absent when nothing), and how long its last activation took (absent until one
/// was confirmed).
/// </summary>
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
    DateTimeOffset? LatestMetricAt,
    double? CostPerHour,
    int? ActivationSeconds);

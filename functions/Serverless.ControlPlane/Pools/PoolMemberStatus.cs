namespace Serverless.ControlPlane.Pools;

/// <summary>A member's live state, kept apart from the definition so evaluations and edits do not collide; <see cref="ETag"/> guards each transition.</summary>
public sealed record PoolMemberStatus(
    string TenantId,
    string PoolId,
    string MemberId,
    MemberState State,
    DateTimeOffset StateSince,
    double? LatestMetric = null,
    DateTimeOffset? LatestMetricAt = null,
    string? ETag = null);

using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Pools;

/// <summary>A pool with its members' live states.</summary>
public sealed record PoolResponse(
    string Id,
    ServiceKind ServiceKind,
    IReadOnlyList<PoolMemberResponse> Members,
    PoolPolicy Policy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>A member without a recorded state has been Inactive since the pool was written.</summary>
    public static PoolResponse From(PoolDefinition pool, IReadOnlyList<PoolMemberStatus> statuses)
    {
        var byMember = statuses.ToDictionary(s => s.MemberId, StringComparer.Ordinal);
        return new PoolResponse(
            pool.PoolId,
            pool.ServiceKind,
            [.. pool.Members.Select(m => byMember.TryGetValue(m.MemberId, out var s)
                ? new PoolMemberResponse(m.MemberId, m.ResourceId, m.Zone, m.Index, m.Instance, s.State, s.StateSince, s.LatestMetric, s.LatestMetricAt)
                : new PoolMemberResponse(m.MemberId, m.ResourceId, m.Zone, m.Index, m.Instance, MemberState.Inactive, pool.UpdatedAt, null, null))],
            pool.Policy,
            pool.CreatedAt,
            pool.UpdatedAt);
    }
}

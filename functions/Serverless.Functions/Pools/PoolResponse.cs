using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Pools;

/// <summary>A pool with its members' live states and, when read alone, where each schedule window stands and what it spends.</summary>
public sealed record PoolResponse(
    string Id,
    ServiceKind ServiceKind,
    IReadOnlyList<PoolMemberResponse> Members,
    PoolPolicy Policy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<PoolWindowStatus>? Schedule = null,
    PoolSpendStatus? Spend = null)
{
    /// <summary>A member without a recorded state has been Inactive since the pool was written.</summary>
    public static PoolResponse From(PoolView view)
    {
        var (pool, statuses, latest, schedule, spend) = view;
        var byMember = statuses.ToDictionary(s => s.MemberId, StringComparer.Ordinal);
        return new PoolResponse(
            pool.PoolId,
            pool.ServiceKind,
            [.. pool.Members.Select(m =>
            {
                var status = byMember.GetValueOrDefault(m.MemberId);
                MetricPoint? reading = latest.TryGetValue(m.MemberId, out var point) ? point : null;
                return new PoolMemberResponse(
                    m.MemberId, m.ResourceId, m.Zone, m.Index, m.Instance, status?.State ?? MemberState.Inactive, status?.StateSince ?? pool.UpdatedAt,
                    status?.Reason, reading?.Value, reading?.At, m.CostPerHour > 0 ? m.CostPerHour : null, status?.ActivationSeconds);
            })],
            pool.Policy,
            pool.CreatedAt,
            pool.UpdatedAt,
            schedule,
            spend);
    }

    public static PoolResponse From(PoolDefinition pool) => From(new PoolView(pool, [], new Dictionary<string, MetricPoint>()));
}

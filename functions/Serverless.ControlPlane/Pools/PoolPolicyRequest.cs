namespace Serverless.ControlPlane.Pools;

/// <summary>A pool's policy as a request gives it; absent optional fields take the defaults in <see cref="PoolService"/>.</summary>
public sealed record PoolPolicyRequest(
    string? Metric,
    double? ActivateAbove,
    int? ActivateAfterSeconds,
    double? DeactivateBelow,
    int? DeactivateAfterSeconds,
    int? CooldownSeconds = null,
    int? MinActive = null,
    int? MaxActive = null,
    int? Step = null,
    MemberPreference? Preference = null,
    int? MetricsIntervalSeconds = null,
    int? ActionTimeoutSeconds = null,
    int? MinSize = null,
    int? MaxSize = null,
    int? UnhealthyRetrySeconds = null,
    IReadOnlyList<PoolWindowRequest?>? Schedule = null,
    PoolBudget? Budget = null);

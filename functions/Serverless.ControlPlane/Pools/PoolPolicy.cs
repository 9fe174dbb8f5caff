namespace Serverless.ControlPlane.Pools;

/// <summary>
/// When a pool grows and shrinks. The load is the mean of <see cref="Metric"/> over the active members; it must stay
/// above <see cref="ActivateAbove"/> for <see cref="ActivateAfterSeconds"/> to activate <see cref="Step"/> members, and
/// below <see cref="DeactivateBelow"/> for <see cref="DeactivateAfterSeconds"/> to deactivate as many. After any change
/// the pool waits <see cref="CooldownSeconds"/>; the active count stays within [<see cref="MinActive"/>,
/// <see cref="MaxActive"/>] always, or within the bounds of the <see cref="Schedule"/> window in force. <see cref="MinSize"/> and <see cref="MaxSize"/> bound how many members the pool may
/// list; the engine does not read them. An Unhealthy member may be chosen again once <see cref="UnhealthyRetrySeconds"/>
/// have passed since it failed.
/// </summary>
public sealed record PoolPolicy(
    string Metric,
    double ActivateAbove,
    int ActivateAfterSeconds,
    double DeactivateBelow,
    int DeactivateAfterSeconds,
    int CooldownSeconds,
    int MinActive,
    int MaxActive,
    int Step,
    MemberPreference Preference,
    int MetricsIntervalSeconds = 10,
    int ActionTimeoutSeconds = 120,
    int MinSize = 1,
    int MaxSize = PoolService.MaxMembers,
    int UnhealthyRetrySeconds = 600,
    IReadOnlyList<PoolWindow>? Schedule = null,
    PoolBudget? Budget = null)
{
    /// <summary>Readings older than three polls are not a current load: a silent agent must not scale the pool.</summary>
    public TimeSpan StaleAfter => TimeSpan.FromSeconds(3 * MetricsIntervalSeconds);
}

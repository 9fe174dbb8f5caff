namespace Serverless.ControlPlane.Pools;

/// <summary>
/// What one evaluation decided for a pool: the changes (possibly none), the load it saw, and why.
/// <see cref="HeldByBudget"/>: the load called for an activation the budget did not allow.
/// </summary>
public sealed record PoolDecision(string PoolId, IReadOnlyList<MemberChange> Changes, double? Load, string Reason, bool HeldByBudget = false)
{
    public bool Acts => Changes.Count > 0;
}

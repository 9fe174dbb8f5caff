namespace Serverless.ControlPlane.Pools;

/// <summary>What one evaluation decided for a pool: the changes (possibly none), the load it saw, and why.</summary>
public sealed record PoolDecision(string PoolId, IReadOnlyList<MemberChange> Changes, double? Load, string Reason)
{
    public bool Acts => Changes.Count > 0;
}

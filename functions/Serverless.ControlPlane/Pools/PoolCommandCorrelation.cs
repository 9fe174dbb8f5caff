using Serverless.Contracts.Commands;

namespace Serverless.ControlPlane.Pools;

/// <summary>
/// How a pool's commands name their waiter: no orchestration, an event name that says which member of which pool. The
/// result's command id must still match the member's pending command before it moves anything.
/// </summary>
public static class PoolCommandCorrelation
{
    private const string Prefix = "pool-member:";

    /// <summary>The key a member's metric readings and commands carry: <c>{pool}.{member}</c> (names never contain '.').</summary>
    public static string MemberKey(string poolId, string memberId) => $"{poolId}.{memberId}";

    public static CommandCorrelation For(string poolId, string memberId) => new(null, Prefix + MemberKey(poolId, memberId));

    public static bool TryParse(CommandCorrelation correlation, out string poolId, out string memberId)
    {
        poolId = memberId = string.Empty;
        if (correlation.InstanceId is not null || correlation.EventName is not { } name || !name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = name[Prefix.Length..].Split('.');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return false;
        }

        (poolId, memberId) = (parts[0], parts[1]);
        return true;
    }
}

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

    /// <summary>Splits a key made by <see cref="MemberKey"/>; false for any other resource id.</summary>
    public static bool TrySplitMemberKey(string key, out string poolId, out string memberId)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        (poolId, memberId) = dot > 0 && dot < key.Length - 1 && key.IndexOf('.', dot + 1) < 0 ? (key[..dot], key[(dot + 1)..]) : (string.Empty, string.Empty);
        return poolId.Length > 0;
    }

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

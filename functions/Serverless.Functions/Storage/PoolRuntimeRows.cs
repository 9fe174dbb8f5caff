using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Storage;

/// <summary>
/// The layout of <c>PoolRuntime</c>, which holds all an evaluator tick reads, pools grouped into
/// <see cref="Partitions"/> partitions (<c>g00</c>…, by the same hash as the evaluator's partitions, so evaluators
/// configured with a divisor of it read disjoint partitions) so that a tick reads a partition of pools with one query.
/// A pool's rows start with <c>{tenant}|{pool}|</c> (names hold no '|'): its members' states (then the member id;
/// ids are lowercase names, so they sort before '~'), the evaluator's state (<c>~state</c>) and each member's ring of
/// readings of the pool's metric (<c>~w|{metric, escaped}|{member}</c>, slots as <see cref="PoolWindowRing"/> says).
/// </summary>
internal static class PoolRuntimeRows
{
    /// <summary>Fixed: changing it would move every pool. At 64, a million members is ~16,000 rows per partition.</summary>
    public const int Partitions = 64;

    public const string StateSuffix = "~state";

    public const string RingInfix = "~w|";

    public const string RingGeometry = "Ring";

    public static string Partition(string tenantId, string poolId) =>
        $"g{PoolEvaluationService.PartitionOf(tenantId, poolId, Partitions):D2}";

    public static string PoolPrefix(string tenantId, string poolId) => $"{tenantId}|{poolId}|";

    /// <summary>The first key after every row of the pool: '}' is the character after '|'.</summary>
    public static string PoolEnd(string tenantId, string poolId) => $"{tenantId}|{poolId}}}";

    public static string MemberRow(string tenantId, string poolId, string memberId) => PoolPrefix(tenantId, poolId) + memberId;

    public static string StateRow(string tenantId, string poolId) => PoolPrefix(tenantId, poolId) + StateSuffix;

    public static string RingRow(string tenantId, string poolId, string metric, string memberId) =>
        $"{PoolPrefix(tenantId, poolId)}{RingInfix}{Uri.EscapeDataString(metric)}|{memberId}";

    /// <summary>Splits a row key into its pool and the rest (member id, <c>~state</c> or ring key).</summary>
    public static bool TrySplit(string rowKey, out string tenantId, out string poolId, out string rest)
    {
        var first = rowKey.IndexOf('|', StringComparison.Ordinal);
        var second = first < 0 ? -1 : rowKey.IndexOf('|', first + 1);
        (tenantId, poolId, rest) = second > first + 1 && first > 0
            ? (rowKey[..first], rowKey[(first + 1)..second], rowKey[(second + 1)..])
            : (string.Empty, string.Empty, string.Empty);
        return second > 0;
    }

    /// <summary>Splits the rest of a ring's key (<see cref="TrySplit"/>) into its metric and member.</summary>
    public static bool TrySplitRing(string rest, out string metric, out string memberId)
    {
        var bar = rest.LastIndexOf('|');
        (metric, memberId) = rest.StartsWith(RingInfix, StringComparison.Ordinal) && bar > RingInfix.Length
            ? (Uri.UnescapeDataString(rest[RingInfix.Length..bar]), rest[(bar + 1)..])
            : (string.Empty, string.Empty);
        return memberId.Length > 0;
    }
}

using System.Globalization;
using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Storage;

/// <summary>
/// The layout of a pool's partition in <c>PoolMembers</c> (PartitionKey = <c>{tenant}|{pool}</c>), which holds all a
/// tick reads: members' states (RowKey = member id; ids are lowercase names, so they sort before <c>~</c>), the
/// evaluator's state (<c>~state</c>), and the members' readings
/// (<c>~r|{metric, escaped}|{ticks:D19}|{member}|{batch}|{index}</c>, so a metric's window is one RowKey range).
/// </summary>
internal static class PoolPartitionRows
{
    public const string StateRow = "~state";

    /// <summary>Member rows sort below this key; the evaluator's own rows from it on.</summary>
    public const string OwnRowsFrom = "~";

    public const string ReadingsFrom = "~r|";

    public const string ReadingsTo = "~r}";

    public static string Partition(string tenantId, string poolId) => $"{tenantId}|{poolId}";

    /// <summary>Splits a metric key of the form <c>{pool}.{member}</c> (<see cref="PoolCommandCorrelation.MemberKey"/>).</summary>
    public static bool TrySplitMemberKey(string key, out string poolId, out string memberId)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        (poolId, memberId) = dot > 0 && dot < key.Length - 1 && key.IndexOf('.', dot + 1) < 0 ? (key[..dot], key[(dot + 1)..]) : (string.Empty, string.Empty);
        return poolId.Length > 0;
    }

    public static string ReadingRow(string metric, DateTimeOffset at, string memberId, string batchId, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{ReadingsFrom}{Escape(metric)}|{at.UtcTicks:D19}|{memberId}|{batchId}|{index:D4}");

    /// <summary>The RowKey range of <paramref name="metric"/>'s readings taken at or after <paramref name="since"/>.</summary>
    public static (string From, string To) ReadingRange(string metric, DateTimeOffset since) =>
        (string.Create(CultureInfo.InvariantCulture, $"{ReadingsFrom}{Escape(metric)}|{since.UtcTicks:D19}"), $"{ReadingsFrom}{Escape(metric)}|~");

    /// <summary>Metric names may hold characters a RowKey may not ('/', '#', '?') and the separator '|'.</summary>
    private static string Escape(string metric) => Uri.EscapeDataString(metric);
}

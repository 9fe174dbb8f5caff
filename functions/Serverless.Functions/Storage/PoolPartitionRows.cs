using System.Globalization;

namespace Serverless.Functions.Storage;

/// <summary>
/// The layout of a pool's partition in <c>PoolMembers</c> (PartitionKey = <c>{tenant}|{pool}</c>): the members'
/// reading history, for the API and the console (<c>~r|{metric, escaped}|{ticks:D19}|{member}|{batch}|{index}</c>, so
/// a metric's window is one RowKey range). Before the evaluator's rows moved to <c>PoolRuntime</c>
/// (<see cref="PoolRuntimeRows"/>) the partition also held the members' states (RowKey = member id) and the
/// evaluator's state (<c>~state</c>); those are read from here once, when their pool is first touched, and moved.
/// </summary>
internal static class PoolPartitionRows
{
    public const string StateRow = "~state";

    /// <summary>Member rows sort below this key; the evaluator's own rows from it on.</summary>
    public const string OwnRowsFrom = "~";

    public const string ReadingsFrom = "~r|";

    public const string ReadingsTo = "~r}";

    public static string Partition(string tenantId, string poolId) => $"{tenantId}|{poolId}";

    public static string ReadingRow(string metric, DateTimeOffset at, string memberId, string batchId, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{ReadingsFrom}{Escape(metric)}|{at.UtcTicks:D19}|{memberId}|{batchId}|{index:D4}");

    /// <summary>The RowKey range of <paramref name="metric"/>'s readings taken at or after <paramref name="since"/>.</summary>
    public static (string From, string To) ReadingRange(string metric, DateTimeOffset since) =>
        (string.Create(CultureInfo.InvariantCulture, $"{ReadingsFrom}{Escape(metric)}|{since.UtcTicks:D19}"), $"{ReadingsFrom}{Escape(metric)}|~");

    /// <summary>Metric names may hold characters a RowKey may not ('/', '#', '?') and the separator '|'.</summary>
    private static string Escape(string metric) => Uri.EscapeDataString(metric);
}

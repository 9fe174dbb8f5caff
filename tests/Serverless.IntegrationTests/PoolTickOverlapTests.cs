using Azure.Data.Tables;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// Pool ticks never overlap: with the evaluator's timer firing every 2 s and each tick held 5 s in its partition
/// activity, the ticks that ran (as the durable task hub recorded them) follow one another, and the timer says why it
/// skipped the ones in between.
/// </summary>
public sealed class PoolTickOverlapTests
{
    private static readonly TimeSpan Observed = TimeSpan.FromSeconds(16);

    [Fact]
    public async Task ATickRunningPastTheSchedule_MakesTheNextSkipSayingSo_AndNoTwoTicksRunAtOnce()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var host = await LocalHostProcess.StartAsync(azurite, new Dictionary<string, string>
        {
            ["Pools__Schedule"] = "*/2 * * * * *",
            ["Pools__Partitions"] = "1",
            ["LocalHost__FaultInjection__DelayActivity"] = "EvaluatePoolPartition@5",
        });

        await Task.Delay(Observed);
        var ticks = await TicksAsync(azurite, host.HubName);

        var finished = ticks.Where(t => t.Completed is not null).ToList();
        Assert.True(finished.Count >= 2, $"at least two ticks ran to the end in {Observed.TotalSeconds} s: {Describe(ticks)}");
        Assert.True(ticks.Count <= 1 + (int)(Observed.TotalSeconds / 5), $"ticks held 5 s each cannot start more often than that: {Describe(ticks)}");
        for (var i = 1; i < ticks.Count; i++)
        {
            Assert.True(ticks[i - 1].Completed is { } ended && ended <= ticks[i].Created, $"tick {ticks[i].Id} started before {ticks[i - 1].Id} ended: {Describe(ticks)}");
        }

        Assert.Contains("skipped: tick pool-evaluation-", host.Output, StringComparison.Ordinal);
    }

    private sealed record Tick(string Id, DateTimeOffset Created, DateTimeOffset? Completed);

    /// <summary>The evaluator's orchestrations as the task hub's instance table holds them, oldest first.</summary>
    private static async Task<List<Tick>> TicksAsync(AzuriteProcess azurite, string hub)
    {
        var table = new TableClient(azurite.ConnectionString, $"{hub}Instances");
        var ticks = new List<Tick>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey.CompareTo("pool-evaluation-") >= 0 && e.PartitionKey.CompareTo("pool-evaluation.") < 0))
        {
            var status = row.GetString("RuntimeStatus");
            ticks.Add(new Tick(row.PartitionKey, row.GetDateTimeOffset("CreatedTime")!.Value, status == "Completed" ? row.GetDateTimeOffset("CompletedTime") : null));
        }

        return ticks.OrderBy(t => t.Created).ToList();
    }

    private static string Describe(IEnumerable<Tick> ticks) =>
        string.Join("; ", ticks.Select(t => $"{t.Id} {t.Created:HH:mm:ss.fff}–{(t.Completed is { } c ? c.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) : "running")}"));
}

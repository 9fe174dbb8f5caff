using System.Globalization;
using Azure.Data.Tables;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>An orchestration's steps as the durable task hub's history table holds them, for crash matrices.</summary>
internal static class DurableHistory
{
    /// <summary>
    /// The activities an orchestration ran, in the order it scheduled them, each as <c>{activity}#{k}</c> (its k-th
    /// run): the kill points of <c>LocalHost:FaultInjection</c> for a host that runs only this orchestration. Read from
    /// the history, so a step added to the orchestration is crashed at without a change to the test. The recorded-result
    /// check is left out: it runs only when a wait slice passes without the agent's answer, so whether a run has it
    /// depends on timing, and no crash can be placed at it reliably.
    /// </summary>
    public static async Task<IReadOnlyList<string>> KillPointsAsync(AzuriteProcess azurite, string hub, string instanceId)
    {
        var table = new TableClient(azurite.ConnectionString, $"{hub}History");
        var scheduled = new List<(string RowKey, string Name)>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == instanceId, select: ["EventType", "Name"]))
        {
            if (row.GetString("EventType") == "TaskScheduled" && row.GetString("Name") != "GetCommandResult")
            {
                scheduled.Add((row.RowKey, row.GetString("Name")));
            }
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return [.. scheduled.OrderBy(s => s.RowKey, StringComparer.Ordinal).Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{s.Name}#{seen[s.Name] = seen.GetValueOrDefault(s.Name) + 1}"))];
    }
}

using Azure.Data.Tables;

/// <summary>
/// Where a workflow's time goes, from its durable history (DTFx stamps each event when it happens): for each activity
/// and child workflow, when it was scheduled and completed, and between two of them, when the first and the last
/// command result arrived, all in milliseconds from the workflow's start. The latest workflow of the name started
/// since the time given.
/// </summary>
internal static class BatchTimeline
{
    public static async Task<string> DescribeAsync(string connectionString, string hubName, string orchestrator, DateTimeOffset since)
    {
        var instances = new TableClient(connectionString, $"{hubName}Instances");
        string? instanceId = null;
        DateTimeOffset latest = default;
        await foreach (var row in instances.QueryAsync<TableEntity>(e => e.GetString("Name") == orchestrator))
        {
            if (row.GetDateTimeOffset("CreatedTime") is { } created && created >= since && created > latest)
            {
                (instanceId, latest) = (row.PartitionKey, created);
            }
        }

        if (instanceId is null)
        {
            return $"no {orchestrator} found";
        }

        var events = new List<TableEntity>();
        await foreach (var e in new TableClient(connectionString, $"{hubName}History").QueryAsync<TableEntity>(e => e.PartitionKey == instanceId))
        {
            events.Add(e);
        }

        var ordered = events.Where(e => e.GetDateTimeOffset("_Timestamp") is not null).OrderBy(e => e.GetDateTimeOffset("_Timestamp")).ToList();
        var start = ordered[0].GetDateTimeOffset("_Timestamp")!.Value;
        var names = new Dictionary<int, string>();
        var parts = new List<string>();
        var (raised, firstRaised, lastRaised, episodes) = (0, 0.0, 0.0, 0);
        foreach (var e in ordered)
        {
            var ms = (e.GetDateTimeOffset("_Timestamp")!.Value - start).TotalMilliseconds;
            switch (e.GetString("EventType"))
            {
                case "OrchestratorStarted":
                    episodes++;
                    break;
                case "TaskScheduled" or "SubOrchestrationInstanceCreated":
                    Flush();
                    names[e.GetInt32("EventId") ?? -1] = e.GetString("Name") ?? "?";
                    parts.Add($"{names[e.GetInt32("EventId") ?? -1]} {ms:0}");
                    break;
                case "TaskCompleted" or "TaskFailed" or "SubOrchestrationInstanceCompleted" or "SubOrchestrationInstanceFailed":
                    Flush();
                    parts.Add($"→{ms:0}");
                    break;
                case "EventRaised":
                    (firstRaised, lastRaised) = (raised == 0 ? ms : firstRaised, ms);
                    raised++;
                    break;
            }
        }

        Flush();
        return $"{string.Join(" ", parts)} ({episodes} episodes)";

        void Flush()
        {
            if (raised > 0)
            {
                parts.Add($"[{raised} results {firstRaised:0}–{lastRaised:0}]");
                raised = 0;
            }
        }
    }
}

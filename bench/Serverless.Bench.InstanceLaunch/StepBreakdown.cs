using Azure.Data.Tables;

/// <summary>
/// Where a launch's time goes, from its durable history (DTFx stamps each event when it happens): per activity, from
/// its scheduling to its completion; per command, from the send activity's completion to the agent's raised result;
/// and the waits for an orchestrator episode to be dispatched. Medians over the launches given.
/// </summary>
internal static class StepBreakdown
{
    public static async Task<IReadOnlyList<(string Step, double MedianMs)>> MedianAsync(TableClient history, IReadOnlyList<string> instanceIds)
    {
        var byStep = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var instanceId in instanceIds)
        {
            var events = new List<TableEntity>();
            await foreach (var entity in history.QueryAsync<TableEntity>(e => e.PartitionKey == instanceId))
            {
                events.Add(entity);
            }

            var ordered = events.Where(e => e.GetDateTimeOffset("_Timestamp") is not null).OrderBy(e => e.GetDateTimeOffset("_Timestamp")).ToList();
            var scheduled = new Dictionary<int, (string Name, DateTimeOffset At)>();
            var totals = new Dictionary<string, double>(StringComparer.Ordinal);
            DateTimeOffset? previous = null;
            foreach (var e in ordered)
            {
                var at = e.GetDateTimeOffset("_Timestamp")!.Value;
                switch (e.GetString("EventType"))
                {
                    case "TaskScheduled":
                        scheduled[e.GetInt32("EventId") ?? -1] = (e.GetString("Name") ?? "?", at);
                        break;
                    case "TaskCompleted" or "TaskFailed" when scheduled.TryGetValue(e.GetInt32("TaskScheduledId") ?? -2, out var task):
                        Add(totals, $"activity {task.Name}", (at - task.At).TotalMilliseconds);
                        break;
                    case "EventRaised" when previous is { } before:
                        Add(totals, "command trip (sent → result raised)", (at - before).TotalMilliseconds);
                        break;
                    case "OrchestratorStarted" when previous is { } before:
                        Add(totals, "episode dispatch", (at - before).TotalMilliseconds);
                        break;
                }

                if (e.GetString("EventType") is not "OrchestratorStarted")
                {
                    previous = at;
                }
            }

            foreach (var (step, ms) in totals)
            {
                (byStep.TryGetValue(step, out var list) ? list : byStep[step] = []).Add(ms);
            }
        }

        return [.. byStep.OrderByDescending(p => Median(p.Value)).Select(p => (p.Key, Median(p.Value)))];
    }

    private static void Add(Dictionary<string, double> totals, string step, double ms) => totals[step] = totals.GetValueOrDefault(step) + ms;

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}

using Azure.Data.Tables;

/// <summary>
/// Splits a registration's wall time by its durable history: DTFx stamps each history event (<c>_Timestamp</c>) when
/// it happens, so the gaps between them are the hops. Episode starts are <c>OrchestratorStarted</c>; activity ends are
/// <c>TaskCompleted</c>; the agent's answer is <c>EventRaised</c>.
/// </summary>
internal static class HopBreakdown
{
    public static readonly string[] Parts = ["accept POST", "episode dispatch", "episode run", "activities", "agent trip", "seen by client"];

    public static async Task<double[]> MedianAsync(TableClient history, IReadOnlyList<(string InstanceId, DateTimeOffset Posted, DateTimeOffset Seen)> instances)
    {
        var rows = new List<double[]>();
        foreach (var (instanceId, posted, seen) in instances)
        {
            var events = new List<(string Type, DateTimeOffset At)>();
            await foreach (var entity in history.QueryAsync<TableEntity>(e => e.PartitionKey == instanceId))
            {
                if (entity.GetString("EventType") is { } type && entity.GetDateTimeOffset("_Timestamp") is { } at)
                {
                    events.Add((type, at));
                }
            }

            rows.Add(Split([.. events.OrderBy(e => e.At)], posted, seen));
        }

        return [.. Enumerable.Range(0, Parts.Length).Select(i => Median(rows.Select(r => r[i]).ToList()))];
    }

    /// <summary>
    /// Walks the events in time order: what precedes an episode start is dispatch (from the start message, an activity's
    /// completion or a raised event); from an episode's start to its last scheduling is its run; from scheduling to
    /// the activity's completion is the activity; up to the raised event is the agent's trip. Work that overlaps (the
    /// episode after the send runs while the command travels) counts once, for what happened first: the parts add up
    /// to the wall time.
    /// </summary>
    private static double[] Split(IReadOnlyList<(string Type, DateTimeOffset At)> events, DateTimeOffset posted, DateTimeOffset seen)
    {
        var parts = new double[Parts.Length];
        var started = events.First(e => e.Type == "ExecutionStarted").At;
        parts[0] = (started - posted).TotalMilliseconds;
        var previous = started;
        foreach (var (type, at) in events)
        {
            var gap = (at - previous).TotalMilliseconds;
            switch (type)
            {
                case "OrchestratorStarted":
                    parts[1] += gap;
                    break;
                case "TaskScheduled" or "TimerCreated" or "ExecutionCompleted" or "OrchestratorCompleted" or "EventSent":
                    parts[2] += gap;
                    break;
                case "TaskCompleted":
                    parts[3] += gap;
                    break;
                case "EventRaised":
                    parts[4] += gap;
                    break;
                default:
                    continue;
            }

            previous = at;
        }

        parts[5] = (seen - events.Last().At).TotalMilliseconds;
        return parts;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count == 0 ? 0 : values[values.Count / 2];
    }
}

using System.Globalization;
using Azure.Data.Tables;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>Where a crash test may kill the host, as <c>LocalHost:FaultInjection</c> names the places.</summary>
[Flags]
internal enum KillPlaces
{
    BeforeActivity = 1,
    AfterActivity = 2,
    AfterEvent = 4,
    BeforeTimer = 8,

    /// <summary>
    /// After a timer fired. Only for runs whose timers fire whatever the timing (a wait nobody answers): a command
    /// wait's slice fires only when an answer is slower than the slice, and then the recorded-result check runs too,
    /// so asking for this place also brings those checks in as activities.
    /// </summary>
    AfterTimer = 16,

    Activities = BeforeActivity | AfterActivity,

    /// <summary>
    /// Every boundary a run whose commands are answered in time crosses: before and after each activity, after each
    /// event heard and before each timer it creates (a command wait's slice timer is created even when the answer
    /// comes first).
    /// </summary>
    Boundaries = Activities | AfterEvent | BeforeTimer,
}

/// <summary>One place to kill the host: the fault injection's setting and its value.</summary>
internal sealed record KillPoint(string Setting, string Value)
{
    /// <summary>The host's environment for this fault.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { [$"LocalHost__FaultInjection__{Setting}"] = Value };

    public override string ToString() => $"{Setting} {Value}";
}

/// <summary>An orchestration's steps as the durable task hub's history table holds them, for crash matrices.</summary>
internal static class DurableHistory
{
    private static readonly string[] ResultChecks = ["GetCommandResult", "GetCommandResults"];

    /// <summary>
    /// The kill points of one orchestration's run, in the order its history has them: for each activity it ran
    /// (<c>{activity}#{k}</c>, its k-th run) before and after it, and for each external event it received, timer it
    /// created and timer that fired, <c>{orchestration}#{k}</c>, each in the places asked for; a sub-orchestration's
    /// points where the run started it. Read from the history, so a step added to an orchestration is crashed at without
    /// a change to the test. The counts are per process, so they hold for a host that runs only this run. A command
    /// wait's recorded-result check is left out unless fired timers are asked for (see <see cref="KillPlaces.AfterTimer"/>).
    /// </summary>
    public static async Task<IReadOnlyList<KillPoint>> KillPointsAsync(AzuriteProcess azurite, string hub, string instanceId, KillPlaces places)
    {
        var points = new List<KillPoint>();
        await AddKillPointsAsync(new TableClient(azurite.ConnectionString, $"{hub}History"), instanceId, places, new Dictionary<string, int>(StringComparer.Ordinal), points);
        return points;
    }

    private static async Task AddKillPointsAsync(TableClient table, string instanceId, KillPlaces places, Dictionary<string, int> seen, List<KillPoint> points)
    {
        var rows = new List<(string RowKey, string EventType, string? Name, string? SubOrchestration)>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == instanceId, select: ["RowKey", "EventType", "Name", "InstanceId"]))
        {
            rows.Add((row.RowKey, row.GetString("EventType"), row.GetString("Name"), row.GetString("InstanceId")));
        }

        if (rows.Any(r => r.RowKey is null))
        {
            throw new InvalidOperationException($"the history of {instanceId} came back without row keys, so its order is unknown");
        }

        // A history row's key is its position in the history, fixed-width, so the order of the keys is the order of events.
        rows.Sort((a, b) => string.CompareOrdinal(a.RowKey, b.RowKey));
        var orchestration = rows.FirstOrDefault(r => r.EventType == "ExecutionStarted").Name
            ?? throw new InvalidOperationException($"the task hub has no history for {instanceId}");
        string Next(string counter, string name) =>
            string.Create(CultureInfo.InvariantCulture, $"{name}#{seen[counter] = seen.GetValueOrDefault(counter) + 1}");

        void Add(KillPlaces place, string setting, string value)
        {
            if (places.HasFlag(place))
            {
                points.Add(new KillPoint(setting, value));
            }
        }

        foreach (var (_, eventType, name, subOrchestration) in rows)
        {
            switch (eventType)
            {
                case "TaskScheduled" when name is not null && (places.HasFlag(KillPlaces.AfterTimer) || !ResultChecks.Contains(name)):
                    var run = Next($"activity {name}", name);
                    Add(KillPlaces.BeforeActivity, "KillBeforeActivity", run);
                    Add(KillPlaces.AfterActivity, "KillAfterActivity", run);
                    break;
                case "SubOrchestrationInstanceCreated" when subOrchestration is not null:
                    await AddKillPointsAsync(table, subOrchestration, places, seen, points);
                    break;
                case "EventRaised":
                    Add(KillPlaces.AfterEvent, "KillAfterEvent", Next($"event {orchestration}", orchestration));
                    break;
                case "TimerCreated":
                    Add(KillPlaces.BeforeTimer, "KillBeforeTimer", Next($"timer created {orchestration}", orchestration));
                    break;
                case "TimerFired":
                    Add(KillPlaces.AfterTimer, "KillAfterTimer", Next($"timer fired {orchestration}", orchestration));
                    break;
            }
        }
    }
}

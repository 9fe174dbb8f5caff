using System.Diagnostics;
using System.Diagnostics.Metrics;
using Serverless.Contracts.Commands;

namespace Serverless.ControlPlane.Telemetry;

/// <summary>
/// The control plane's spans and instruments. Without an exporter listening they cost one check each: the OpenTelemetry
/// SDK is wired only by the hosts, which name <see cref="SourceName"/> and <see cref="MeterName"/>.
/// </summary>
public static class ControlPlaneTelemetry
{
    public const string SourceName = "Serverless.ControlPlane";

    public const string MeterName = "Serverless.ControlPlane";

    public static readonly ActivitySource Source = new(SourceName);

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> CommandsSent = Meter.CreateCounter<long>(
        "serverless.commands.sent", "{command}", "Commands put on a tenant's queue, by kind.");

    private static readonly Counter<long> CommandsCompleted = Meter.CreateCounter<long>(
        "serverless.commands.completed", "{command}", "Command results taken from agents, by kind and outcome.");

    private static readonly Histogram<double> CommandDuration = Meter.CreateHistogram(
        "serverless.command.duration", "s", "From an agent's receipt of a command to its result, by kind and outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    private static readonly Counter<long> PoolDecisions = Meter.CreateCounter<long>(
        "serverless.pool.decisions", "{change}", "Member changes a pool's policy made, by target state.");

    private static readonly Gauge<long> PoolActiveMembers = Meter.CreateGauge<long>(
        "serverless.pool.members.active", "{member}", "A pool's active members at its last evaluation.");

    private static readonly Counter<long> Heartbeats = Meter.CreateCounter<long>(
        "serverless.agent.heartbeats", "{heartbeat}", "Heartbeats taken from relay agents, by agent group.");

    private static readonly Counter<long> GroupStatusChanges = Meter.CreateCounter<long>(
        "serverless.agent.group.status_changes", "{change}", "Agent groups whose connectivity changed, by the status they changed to.");

    public static void CommandSent(string kind) => CommandsSent.Add(1, new KeyValuePair<string, object?>("command.kind", kind));

    public static void CommandCompleted(CommandResult result)
    {
        var tags = new TagList { { "command.kind", result.Kind }, { "command.outcome", result.Status.ToString() } };
        CommandsCompleted.Add(1, tags);
        if (result.Timings is { } timings && timings.CompletedAt >= timings.ReceivedAt)
        {
            CommandDuration.Record((timings.CompletedAt - timings.ReceivedAt).TotalSeconds, tags);
        }
    }

    public static void PoolEvaluated(string poolId, IReadOnlyList<Pools.MemberChange> changes, long activeMembers)
    {
        foreach (var change in changes)
        {
            PoolDecisions.Add(1, new KeyValuePair<string, object?>("pool.member.state", change.To.ToString()));
        }

        PoolActiveMembers.Record(activeMembers, new KeyValuePair<string, object?>("pool.id", poolId));
    }

    public static void HeartbeatTaken(string agentGroup) => Heartbeats.Add(1, new KeyValuePair<string, object?>("agent.group", agentGroup));

    public static void GroupStatusChanged(string status) => GroupStatusChanges.Add(1, new KeyValuePair<string, object?>("agent.group.status", status));

    /// <summary>The W3C context of <paramref name="activity"/>, the form commands carry.</summary>
    public static TraceContext? ContextOf(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C, Id: { } id } ? new TraceContext(id, activity.TraceStateString) : null;
}

using Microsoft.Extensions.Options;
using Serverless.ControlPlane.Telemetry;

namespace Serverless.ControlPlane.Agents;

/// <summary>
/// Agent groups' connectivity: a timer evaluates silences into Connected → Disconnected → Expired; a heartbeat
/// restores Connected at once; commands for a Disconnected or Expired group fail at once instead of at their deadline.
/// Silence while the control plane itself was not watching does not count against a group: after a gap in the
/// evaluations longer than half the disconnect window (the app down, or just deployed), a group still recorded as
/// Connected has the full window again, counted from when watching resumed. The gap is judged from a durable record,
/// not a process's start, so it holds with many instances. A group already found silent stays so until it is heard.
/// </summary>
public sealed class ConnectivityService(IAgentTelemetryStore heartbeats, IAgentGroupStore groups, IOptions<ConnectivityOptions> options, TimeProvider clock)
{
    /// <summary>The status a silence since <paramref name="lastHeardAt"/> means at <paramref name="now"/>. Pure.</summary>
    public static AgentGroupStatus StatusOf(DateTimeOffset lastHeardAt, DateTimeOffset now, ConnectivityOptions options)
    {
        var silence = now - lastHeardAt;
        return silence >= TimeSpan.FromHours(options.ExpiredAfterHours) ? AgentGroupStatus.Expired
            : silence >= TimeSpan.FromSeconds(options.DisconnectedAfterSeconds) ? AgentGroupStatus.Disconnected
            : AgentGroupStatus.Connected;
    }

    /// <summary>Re-evaluates every group from its agents' heartbeats; returns the groups whose status changed.</summary>
    public async Task<IReadOnlyList<AgentGroupConnectivity>> EvaluateAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var watchingSince = await WatchAsync(now, cancellationToken);
        var recorded = (await groups.ListAsync(cancellationToken)).ToDictionary(g => (g.TenantId, g.AgentGroup));
        var changes = new List<AgentGroupConnectivity>();
        foreach (var group in (await heartbeats.ListPresenceAsync(cancellationToken)).GroupBy(p => (p.TenantId, p.AgentGroup)))
        {
            var lastHeard = group.Max(p => p.ReceivedAt);
            var known = recorded.TryGetValue(group.Key, out var current);
            var status = StatusOf(lastHeard > watchingSince ? lastHeard : watchingSince, now, options.Value);

            // The grace of a gap never makes a group look better than it was last found without a heartbeat since.
            if (known && lastHeard <= current!.LastHeardAt && current.Status is AgentGroupStatus.Disconnected or AgentGroupStatus.Expired && current.Status > status)
            {
                status = current.Status;
            }

            // A removed group stays removed until an agent of it is heard from after the removal.
            if (known && current!.Status == AgentGroupStatus.Removed && lastHeard <= current.ChangedAt)
            {
                continue;
            }

            if (!known || current!.Status != status)
            {
                var changed = new AgentGroupConnectivity(group.Key.TenantId, group.Key.AgentGroup, status, lastHeard, now);
                await groups.UpsertAsync(changed, cancellationToken);
                changes.Add(changed);
                ControlPlaneTelemetry.GroupStatusChanged(status.ToString());
            }
        }

        return changes;
    }

    /// <summary>Records this evaluation; returns since when the evaluations have run without a gap.</summary>
    private async Task<DateTimeOffset> WatchAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var watch = await groups.GetWatchAsync(cancellationToken);
        var allowedGap = TimeSpan.FromSeconds(options.Value.DisconnectedAfterSeconds / 2.0);
        var since = watch is null || now - watch.LastEvaluatedAt > allowedGap ? now : watch.WatchingSince;
        await groups.SetWatchAsync(new ConnectivityWatch(now, since), cancellationToken);
        return since;
    }

    /// <summary>A heartbeat arrived: the group is Connected again from now on, without waiting for the timer.</summary>
    public async Task MarkHeardAsync(string tenantId, string agentGroup, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var current = await groups.GetAsync(tenantId, agentGroup, cancellationToken);
        if (current?.Status != AgentGroupStatus.Connected)
        {
            await groups.UpsertAsync(new AgentGroupConnectivity(tenantId, agentGroup, AgentGroupStatus.Connected, at, at), cancellationToken);
        }
    }

    /// <summary>Records the group as removed from now on, keeping when it was last heard from.</summary>
    public async Task<AgentGroupConnectivity> MarkRemovedAsync(string tenantId, string agentGroup, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var current = await groups.GetAsync(tenantId, agentGroup, cancellationToken);
        var removed = new AgentGroupConnectivity(tenantId, agentGroup, AgentGroupStatus.Removed, current?.LastHeardAt ?? DateTimeOffset.MinValue, now);
        await groups.UpsertAsync(removed, cancellationToken);
        return removed;
    }

    /// <summary>The group's status and agents, for the API.</summary>
    public async Task<(AgentGroupConnectivity? Group, IReadOnlyList<AgentPresence> Agents)> DescribeAsync(string tenantId, string agentGroup, CancellationToken cancellationToken)
    {
        var group = await groups.GetAsync(tenantId, agentGroup, cancellationToken);
        var agents = await heartbeats.ListPresenceAsync(tenantId, agentGroup, cancellationToken);
        return (group, agents);
    }

    /// <summary>Whether the group's agents are heard from now: only such groups are given new work.</summary>
    public async Task<bool> IsConnectedAsync(string tenantId, string agentGroup, CancellationToken cancellationToken) =>
        (await groups.GetAsync(tenantId, agentGroup, cancellationToken))?.Status == AgentGroupStatus.Connected;

    /// <summary>Why commands for the group should not be sent now, or null when they may.</summary>
    public async Task<string?> RefusalAsync(string tenantId, string agentGroup, CancellationToken cancellationToken)
    {
        var group = await groups.GetAsync(tenantId, agentGroup, cancellationToken);
        return group?.Status switch
        {
            AgentGroupStatus.Disconnected or AgentGroupStatus.Expired =>
                $"The agents of zone '{agentGroup}' are {group.Status.ToString().ToLowerInvariant()}: none has been heard from since {group.LastHeardAt:O}. Check that an agent of the zone runs and can reach the control plane.",
            AgentGroupStatus.Removed =>
                $"The agents of zone '{agentGroup}' were removed at {group.ChangedAt:O} and their credentials revoked. Enrol an agent for the zone to use it again.",
            _ => null,
        };
    }
}

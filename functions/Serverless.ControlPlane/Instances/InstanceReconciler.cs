using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Instances;

/// <summary>
/// State sync: on a timer, every registered compute host and every host that holds managed instances is asked what it
/// runs (<c>instance.list</c>); its answer replaces the host's inventory (so domains the API did not make show up, as
/// unmanaged, also on a host with no managed instance) and moves each settled
/// managed instance to what the host reports: a domain stopped, started, paused or removed by hand or by a crash is
/// recorded so, with the reason saying it happened outside the API. An instance with an action under way is left to its
/// workflow; every write is conditional, so a workflow that moves in between wins.
/// </summary>
public sealed class InstanceReconciler(
    IManagedInstanceStore instances, IInstanceStore inventory, IResourceStore resources, ConnectivityService connectivity, CommandService commands, TimeProvider clock)
{
    public const int ReportTimeoutSeconds = 60;

    /// <summary>
    /// Sends one <c>instance.list</c> per registered compute host and per host holding managed instances, skipping zones
    /// whose agents are not connected (the command would only expire on the queue); returns how many hosts were asked.
    /// </summary>
    public async Task<int> RequestReportsAsync(CancellationToken cancellationToken)
    {
        var registered = (await resources.ListRegisteredHostsAsync(cancellationToken))
            .Where(r => r.ServiceCategories.Contains(InstanceService.ComputeCategory))
            .Select(r => (r.TenantId, HostId: r.ResourceId, Uri: r.Endpoint, r.Zone));
        var holding = (await instances.ListEveryAsync(cancellationToken))
            .Where(i => i is { HoldsCapacity: true, HostId: not null, HostUri: not null, Zone: not null })
            .Select(i => (i.TenantId, HostId: i.HostId!, Uri: i.HostUri!, Zone: i.Zone!));
        var hosts = registered.Concat(holding).DistinctBy(h => (h.TenantId, h.HostId)).ToList();
        var now = clock.GetUtcNow();
        var connected = new Dictionary<(string, string), bool>();
        var asked = 0;
        foreach (var (tenantId, hostId, uri, zone) in hosts)
        {
            if (!connected.TryGetValue((tenantId, zone), out var isConnected))
            {
                isConnected = connected[(tenantId, zone)] = await connectivity.IsConnectedAsync(tenantId, zone, cancellationToken);
            }

            if (!isConnected)
            {
                continue;
            }

            asked++;
            var payload = JsonSerializer.SerializeToElement(new InstanceListPayload(uri), ContractsJsonContext.Default.InstanceListPayload);
            await commands.SendAsync(
                new CommandRequest(Guid.NewGuid().ToString("N"), tenantId, zone, CommandKinds.ListInstances, payload, now, ReportTimeoutSeconds, HostReportCorrelation.For(hostId, now), null),
                cancellationToken);
        }

        return asked;
    }

    /// <summary>
    /// A host's report: its inventory replaced, each settled managed instance on it moved to what the host says. Records
    /// that changed after <paramref name="askedAt"/> are left alone, and so are their names in the inventory: the report
    /// may predate their change (a launch that finished while the host was listing, a migration's commit that took the
    /// instance off this host), whose workflow wrote the inventory itself; the next round looks again.
    /// </summary>
    public async Task<int> ApplyReportAsync(string tenantId, string hostId, DateTimeOffset askedAt, CommandResult report, CancellationToken cancellationToken)
    {
        if (report.Status != CommandStatus.Succeeded || report.Output?.Deserialize(ContractsJsonContext.Default.InstanceListOutput) is not { } listed)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var records = await instances.ListAllAsync(tenantId, cancellationToken);
        var managed = records.Where(i => i.HostId == hostId && i.HoldsCapacity).ToList();
        var zone = managed.FirstOrDefault()?.Zone ?? (await resources.GetAsync(tenantId, hostId, cancellationToken))?.Zone;
        if (zone is not null)
        {
            var changedSince = records.Where(i => i.UpdatedAt >= askedAt).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            var standing = changedSince.Count == 0
                ? []
                : (await inventory.ListAsync(tenantId, hostId, cancellationToken)).Where(i => changedSince.Contains(i.Name));
            await inventory.ReplaceAllAsync(tenantId, hostId, [
                .. listed.Instances.Where(i => !changedSince.Contains(i.Name)).Select(i => new ResourceInstance(tenantId, hostId, zone, i.Name, i.State, now)),
                .. standing], cancellationToken);
        }

        var reported = listed.Instances.ToDictionary(i => i.Name, i => i.State, StringComparer.Ordinal);
        var moved = 0;
        foreach (var instance in managed.Where(i => i.PendingAction is null && i.UpdatedAt < askedAt))
        {
            var seen = reported.TryGetValue(instance.Name, out var state) ? state : (InstanceState?)null;
            var (next, reason) = Drift(instance, seen);
            var changed = next != instance.State;
            if (!changed && seen == instance.Observed)
            {
                continue;
            }

            var updated = instance with
            {
                State = next,
                Reason = changed ? reason : instance.Reason,
                Observed = seen,
                ObservedAt = now,
                UpdatedAt = now,
            };
            if (await instances.TryReplaceAsync(updated, cancellationToken) && changed)
            {
                moved++;
            }
        }

        return moved;
    }

    /// <summary>The state a settled instance has given what its host reports (null: no such domain), and why it changed.</summary>
    public static (LifecycleState State, string? Reason) Drift(ManagedInstance instance, InstanceState? reported)
    {
        if (instance.State is not (LifecycleState.Running or LifecycleState.Stopped or LifecycleState.Suspended))
        {
            return (instance.State, null);
        }

        var words = reported is { } r ? FieldRules.JsonName(r.ToString()) : null;
        var next = reported is { } seen ? InstanceService.SettledStateOf(seen) ?? instance.State : LifecycleState.Failed;
        if (next == instance.State)
        {
            return (next, null);
        }

        return (next, reported is null
            ? $"drift: the host no longer has the domain '{instance.Name}' (removed outside the API); terminate the instance to free its reservation."
            : $"drift: the host reports the domain {words} (changed outside the API; it was {FieldRules.JsonName(instance.State.ToString())}).");
    }
}

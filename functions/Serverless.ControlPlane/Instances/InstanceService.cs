using System.Globalization;
using Microsoft.Extensions.Options;
using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Placement;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Validation;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Instances;

/// <summary>
/// Managed instances: checks launches and actions against the tenant's zones, hosts and the instance's state, places
/// instances (<see cref="PlacementEngine"/>) with reservations written conditionally per host, and records each step of
/// the launch and action workflows. Only the operation that owns a record (its <see cref="ManagedInstance.OperationId"/>)
/// records on it, so a late step of an older workflow changes nothing.
/// </summary>
public sealed class InstanceService(
    IManagedInstanceStore instances,
    IHostAllocationStore allocations,
    IInstanceStore inventory,
    IResourceStore resources,
    IZoneStore zones,
    ConnectivityService connectivity,
    IOptions<PlacementOptions> placement,
    IOptions<RegistrationOptions> registration,
    TimeProvider clock)
{
    public const int MaxVirtualCpus = 128;
    public const int MinMemoryMiB = 64;
    public const int MaxMemoryMiB = 1_048_576;
    public const int MaxTags = 32;
    public const int MaxZones = 32;
    public const string ComputeCategory = "compute";
    private const int WriteAttempts = 8;

    /// <summary>
    /// How long a launch keeps going round when other processes keep writing the host it chose (each lost race reads
    /// again after a short random pause).
    /// </summary>
    private static readonly TimeSpan ReserveFor = TimeSpan.FromMinutes(2);

    private readonly ReservationQueue _reservations = new();

    /// <summary>
    /// Checks a launch and records the instance as pending under a new operation, after a placement preview: a launch no
    /// host could take is refused at once, naming each host and why. A repeat of an earlier launch (same name and
    /// client request id) answers the earlier operation; a terminated instance's name may be launched again.
    /// </summary>
    public async Task<Outcome<LaunchPlan>> PrepareLaunchAsync(string tenantId, LaunchInstanceRequest request, CancellationToken cancellationToken) =>
        (await PrepareLaunchesAsync(tenantId, [request], OperationIds.NewOperationId(), cancellationToken))[0];

    /// <summary>
    /// <see cref="PrepareLaunchAsync(string, LaunchInstanceRequest, CancellationToken)"/> for launches that start together
    /// under one operation (a stack's tier), in order: the tenant's capacity and each zone are read once for all their
    /// previews, which so see the capacity as it was before any of them, as launches accepted at one moment would; their
    /// records are read and added together.
    /// </summary>
    public async Task<IReadOnlyList<Outcome<LaunchPlan>>> PrepareLaunchesAsync(
        string tenantId, IReadOnlyList<LaunchInstanceRequest> requests, string operationId, CancellationToken cancellationToken)
    {
        var capacity = new Lazy<Task<CapacityView>>(() => CapacityAsync(tenantId, cancellationToken));
        var zoneReads = new RememberedZoneReads(zones);
        var checkedLaunches = await Task.WhenAll(requests.Select(r => CheckLaunchAsync(tenantId, r, operationId, zoneReads, () => capacity.Value, cancellationToken)));
        var outcomes = new Outcome<LaunchPlan>[requests.Count];
        var valid = new List<int>();
        for (var i = 0; i < requests.Count; i++)
        {
            if (checkedLaunches[i].Succeeded)
            {
                valid.Add(i);
            }
            else
            {
                outcomes[i] = checkedLaunches[i].Error!;
            }
        }

        var existing = await instances.GetManyAsync(tenantId, [.. valid.Select(i => checkedLaunches[i].Value.Record.Name)], cancellationToken);
        var adding = new List<int>();
        for (var k = 0; k < valid.Count; k++)
        {
            var i = valid[k];
            var (record, view) = checkedLaunches[i].Value;
            if (existing[k] is { } earlier && requests[i].ClientRequestId is not null && earlier.ClientRequestId == requests[i].ClientRequestId)
            {
                outcomes[i] = Plan(earlier, resumed: true);
                continue;
            }

            var preview = PlacementEngine.Place(PlacementQueryOf(record), view.HostsFor(record.RequestedHost), view.Groups, placement.Value);
            if (!preview.Placed)
            {
                outcomes[i] = DomainError.Blocked(
                    "No host can take the instance.",
                    preview.Explanation!,
                    [.. preview.Refusals.Select(r => new BlockingItem("host", r.Split(' ', 2)[0], r))]);
            }
            else if (existing[k] is null)
            {
                adding.Add(i);
            }
            else
            {
                outcomes[i] = await ClaimNameAsync(record, existing[k], cancellationToken);
            }
        }

        var added = await instances.TryAddManyAsync([.. adding.Select(i => checkedLaunches[i].Value.Record)], cancellationToken);
        for (var k = 0; k < adding.Count; k++)
        {
            var record = checkedLaunches[adding[k]].Value.Record;
            outcomes[adding[k]] = added[k]
                ? Plan(record, resumed: false)
                : await ClaimNameAsync(record, await instances.GetAsync(tenantId, record.Name, cancellationToken), cancellationToken);
        }

        return outcomes;
    }

    /// <summary>The record a launch would add, with the capacity its preview places against; or why it cannot be.</summary>
    private async Task<Outcome<(ManagedInstance Record, CapacityView Capacity)>> CheckLaunchAsync(
        string tenantId, LaunchInstanceRequest request, string operationId, IZoneStore zoneReads, Func<Task<CapacityView>> readCapacity, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        FieldRules.Name("name", request.Name, errors);
        ValidateSize(request.Size, errors);
        if (string.IsNullOrWhiteSpace(request.Image) || request.Image.Length > FieldRules.MaxNameLength * 2 || request.Image.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            errors.Add(new FieldError("image", "is required: the name of an image a compute host in the zones offers."));
        }

        if (request.Placement?.AntiAffinityGroup is { } group)
        {
            FieldRules.Name("placement.antiAffinityGroup", group, errors);
        }

        if (request.Placement?.Spread is { } spread)
        {
            FieldRules.Name("placement.spread", spread, errors);
        }

        if (request.Placement?.Host is { } requestedHost)
        {
            FieldRules.Name("placement.host", requestedHost, errors);
        }

        ValidateTags(request.Tags, errors);
        ValidateClientRequestId(request.ClientRequestId, errors);

        var allowed = await ResolveZonesAsync(tenantId, request, errors, cancellationToken, zoneReads);
        var capacity = allowed.Count > 0 ? await readCapacity() : null;
        if (capacity is not null && !errors.Any(e => e.Field == "image"))
        {
            var offered = capacity.ImagesIn(allowed);
            if (!offered.Contains(request.Image!))
            {
                errors.Add(new FieldError("image", $"no compute host in [{string.Join(", ", allowed)}] offers '{request.Image}'; they offer: {(offered.Count == 0 ? "none" : string.Join(", ", offered))}."));
            }
        }

        if (capacity is not null && request.Placement?.Host is { } pinned && !errors.Any(e => e.Field == "placement.host")
            && !capacity.Hosts.Any(h => h.HostId == pinned && allowed.Contains(h.Zone)))
        {
            errors.Add(new FieldError("placement.host", $"'{pinned}' is not a virtualization host in [{string.Join(", ", allowed)}]."));
        }

        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        var now = clock.GetUtcNow();
        var record = new ManagedInstance
        {
            TenantId = tenantId,
            Name = request.Name!,
            Zones = allowed,
            VirtualCpus = request.Size!.Vcpus!.Value,
            MemoryMiB = request.Size.MemoryMiB!.Value,
            Image = request.Image!,
            AntiAffinityGroup = request.Placement?.AntiAffinityGroup,
            SpreadGroup = request.Placement?.Spread,
            RequestedHost = request.Placement?.Host,
            Tags = request.Tags ?? new Dictionary<string, string>(),
            State = LifecycleState.Pending,
            OperationId = operationId,
            ClientRequestId = request.ClientRequestId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return (record, capacity!);

    }

    /// <summary>A name taken by a terminated instance is launched again in its place; any other holder is a conflict.</summary>
    private async Task<Outcome<LaunchPlan>> ClaimNameAsync(ManagedInstance record, ManagedInstance? existing, CancellationToken cancellationToken)
    {
        if (existing is { State: LifecycleState.Terminated } && await instances.TryReplaceAsync(record with { ETag = existing.ETag }, cancellationToken))
        {
            return Plan(record, resumed: false);
        }

        return DomainError.Conflict(
            "The instance already exists.",
            $"An instance named '{record.Name}' is {Words(existing?.State ?? LifecycleState.Pending)}; choose another name, or send the same clientRequestId to repeat a launch.");
    }

    /// <summary>
    /// Checks an adoption and records the instance as pending on its host under a new operation. The host must be one of
    /// the tenant's registered compute hosts; the name must be free (a terminated instance's name may be reused). A
    /// repeat with the same client request id answers the earlier operation.
    /// </summary>
    public async Task<Outcome<AdoptPlan>> PrepareAdoptAsync(string tenantId, AdoptInstanceRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        FieldRules.Name("name", request.Name, errors);
        FieldRules.Name("host", request.Host, errors);
        ValidateTags(request.Tags, errors);
        ValidateClientRequestId(request.ClientRequestId, errors);

        ResourceRegistration? host = null;
        if (!errors.Any(e => e.Field == "host"))
        {
            host = await resources.GetAsync(tenantId, request.Host!, cancellationToken);
            if (host is not { Kind: ResourceKind.VirtualizationHost, State: RegistrationState.Registered } || !host.ServiceCategories.Contains(ComputeCategory))
            {
                errors.Add(new FieldError("host", $"'{request.Host}' is not a registered virtualization host of the tenant offering compute."));
            }
        }

        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        var existing = await instances.GetAsync(tenantId, request.Name!, cancellationToken);
        if (existing is not null && request.ClientRequestId is not null && existing.ClientRequestId == request.ClientRequestId && existing.HostId == host!.ResourceId)
        {
            return new AdoptPlan(tenantId, existing.Name, existing.OperationId, host.ResourceId, host.Zone, host.Endpoint);
        }

        var now = clock.GetUtcNow();
        var record = new ManagedInstance
        {
            TenantId = tenantId,
            Name = request.Name!,
            Zones = [host!.Zone],
            VirtualCpus = 0,
            MemoryMiB = 0,
            Image = string.Empty,
            Tags = request.Tags ?? new Dictionary<string, string>(),
            State = LifecycleState.Pending,
            OperationId = OperationIds.NewOperationId(),
            ClientRequestId = request.ClientRequestId,
            Zone = host.Zone,
            HostId = host.ResourceId,
            HostUri = host.Endpoint,
            Adopted = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var plan = new AdoptPlan(tenantId, record.Name, record.OperationId, host.ResourceId, host.Zone, host.Endpoint);
        if (existing is null && await instances.TryAddAsync(record, cancellationToken))
        {
            return plan;
        }

        existing ??= await instances.GetAsync(tenantId, record.Name, cancellationToken);
        if (existing is { State: LifecycleState.Terminated } && await instances.TryReplaceAsync(record with { ETag = existing.ETag }, cancellationToken))
        {
            return plan;
        }

        return DomainError.Conflict(
            "The instance already exists.",
            $"An instance named '{record.Name}' is {Words(existing?.State ?? LifecycleState.Pending)}; a managed instance cannot be adopted again.");
    }

    /// <summary>
    /// Ends an adoption with the host's answer. Adopted: the record takes the domain's state, size and disk, and the
    /// host's reservations count it (even beyond what placement would allow: the domain is already there). Refused: the
    /// record goes, since the domain never was ours, and the host is left as it was.
    /// </summary>
    public async Task<InstanceOutcome> RecordAdoptionAsync(AdoptionResult result, CancellationToken cancellationToken)
    {
        var plan = result.Plan;
        if (result.Domain is not { } domain)
        {
            var current = await instances.GetAsync(plan.TenantId, plan.Name, cancellationToken);
            if (current is not null && current.OperationId == plan.OperationId)
            {
                await instances.TryDeleteAsync(current, cancellationToken);
            }

            return new InstanceOutcome(plan.Name, LifecycleState.Failed, $"not adopted: {result.Refusal}", plan.HostId, plan.Zone);
        }

        var state = SettledStateOf(domain.State) ?? LifecycleState.Stopped;

        // Should the reservations keep changing, the activity fails and its retry tries again; the record stays pending.
        await UpdateAllocationAsync(
            plan.TenantId,
            plan.HostId,
            a => a.Instances.Any(i => i.Name == plan.Name) ? null : a with { Instances = [.. a.Instances, new InstanceAllocation(plan.Name, domain.VirtualCpus, domain.MemoryMiB, null, null)] },
            $"The adoption of '{plan.Name}' could not be counted on '{plan.HostId}': its host's reservations kept changing.",
            cancellationToken);

        await RecordAsync(plan.TenantId, plan.Name, plan.OperationId, i => i with
        {
            State = state,
            VirtualCpus = domain.VirtualCpus,
            MemoryMiB = domain.MemoryMiB,
            Volume = domain.Volume,
            Observed = domain.State,
            ObservedAt = clock.GetUtcNow(),
        }, cancellationToken);
        await inventory.UpsertAsync(new ResourceInstance(plan.TenantId, plan.HostId, plan.Zone, plan.Name, domain.State, clock.GetUtcNow()), cancellationToken);
        return new InstanceOutcome(plan.Name, state, null, plan.HostId, plan.Zone);
    }

    /// <summary>The names of the managed instances on a host (all but terminated ones): what its inventory lists as managed.</summary>
    public async Task<IReadOnlySet<string>> ManagedNamesOnAsync(string tenantId, string hostId, CancellationToken cancellationToken) =>
        (await instances.ListAllAsync(tenantId, cancellationToken))
            .Where(i => i.HostId == hostId && i.State != LifecycleState.Terminated)
            .Select(i => i.Name)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Places the instance and reserves its capacity on the chosen host, conditionally on the host's reservations.
    /// Launches reserving at the same time in this process go as one batch (<see cref="ReservationQueue"/>); one that
    /// loses a race to another process reads again and places again. Safe to repeat: a reservation already made (even one
    /// whose record write was lost) is found and kept. A launch no host can take any more is recorded failed, saying why.
    /// </summary>
    public Task<ReserveOutcome> ReserveAsync(LaunchPlan plan, CancellationToken cancellationToken) =>
        _reservations.ReserveAsync(plan, clock.GetUtcNow() + ReserveFor, ReserveBatchAsync, cancellationToken);

    /// <summary>
    /// One round for a batch of one tenant's launches: read their records and the capacity once, place them one after
    /// another, write each chosen host once, then point each record at its host. Launches on a host another process wrote
    /// meanwhile stay unsettled and go round again; so do refusals then, since the capacity they saw was not all real.
    /// </summary>
    private async Task ReserveBatchAsync(IReadOnlyList<PendingReservation> batch, CancellationToken cancellationToken)
    {
        var tenantId = batch[0].Plan.TenantId;
        var records = await instances.GetManyAsync(tenantId, [.. batch.Select(p => p.Plan.Name)], cancellationToken);
        var open = new List<(PendingReservation Pending, ManagedInstance Record)>();
        var settling = new List<Task>();
        for (var i = 0; i < batch.Count; i++)
        {
            var (pending, record) = (batch[i], records[i]);
            if (record is null || record.OperationId != pending.Plan.OperationId)
            {
                pending.Settle(new ReserveOutcome(false, null, null, null, "the instance was changed by another operation."));
            }
            else if (record.HostId is not null)
            {
                pending.Settle(new ReserveOutcome(true, record.HostId, record.Zone, record.HostUri, null));
            }
            else if (clock.GetUtcNow() >= pending.GiveUpAt)
            {
                settling.Add(RefuseAsync(pending, "placement: other launches kept taking the capacity it chose; launch it again.", cancellationToken));
            }
            else
            {
                open.Add((pending, record));
            }
        }

        await Task.WhenAll(settling);
        if (open.Count == 0)
        {
            return;
        }

        var capacity = await CapacityAsync(tenantId, cancellationToken);
        var chosen = new List<(PendingReservation Pending, ManagedInstance Record, string HostId)>();
        var refused = new List<(PendingReservation Pending, string Reason)>();
        foreach (var (pending, record) in open)
        {
            if (capacity.HostHolding(record.Name) is { } held)
            {
                chosen.Add((pending, record, held));
                continue;
            }

            var decision = PlacementEngine.Place(PlacementQueryOf(record), capacity.HostsFor(record.RequestedHost), capacity.Groups, placement.Value);
            if (!decision.Placed)
            {
                refused.Add((pending, $"placement: {decision.Explanation}"));
                continue;
            }

            capacity.Reserve(tenantId, decision.HostId!, new InstanceAllocation(record.Name, record.VirtualCpus, record.MemoryMiB, record.AntiAffinityGroup, record.SpreadGroup));
            chosen.Add((pending, record, decision.HostId!));
        }

        var changed = capacity.Changed.ToList();
        var writes = await Task.WhenAll(changed.Select(hostId => allocations.TryWriteAsync(capacity.Allocations[hostId], cancellationToken)));
        var lost = changed.Where((_, i) => !writes[i]).ToHashSet(StringComparer.Ordinal);
        var kept = chosen.Where(c => !lost.Contains(c.HostId)).ToList();
        var pointed = await instances.TryReplaceManyAsync([.. kept.Select(c =>
        {
            var host = capacity.Resources[c.HostId];
            return c.Record with { HostId = c.HostId, Zone = host.Zone, HostUri = host.Endpoint, UpdatedAt = clock.GetUtcNow() };
        })], cancellationToken);
        for (var k = 0; k < kept.Count; k++)
        {
            if (pointed[k])
            {
                var host = capacity.Resources[kept[k].HostId];
                kept[k].Pending.Settle(new ReserveOutcome(true, kept[k].HostId, host.Zone, host.Endpoint, null));
            }
        }

        if (lost.Count == 0)
        {
            settling.AddRange(refused.Select(r => RefuseAsync(r.Pending, r.Reason, cancellationToken)));
        }

        await Task.WhenAll(settling);
    }

    private async Task RefuseAsync(PendingReservation pending, string reason, CancellationToken cancellationToken)
    {
        var plan = pending.Plan;
        await RecordAsync(plan.TenantId, plan.Name, plan.OperationId, i => i with { State = LifecycleState.Failed, Reason = reason }, cancellationToken);
        pending.Settle(new ReserveOutcome(false, null, null, null, reason));
    }

    /// <summary>Gives the instance's reservation on <paramref name="hostId"/> back; nothing to do when it holds none.</summary>
    public Task ReleaseAsync(string tenantId, string hostId, string name, CancellationToken cancellationToken) =>
        ReleaseAsync(tenantId, hostId, [name], cancellationToken);

    /// <summary>Gives several reservations on one host back in one write; names not reserved there are skipped.</summary>
    public Task ReleaseAsync(string tenantId, string hostId, IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        UpdateAllocationAsync(
            tenantId,
            hostId,
            a => a.Instances.Any(i => names.Contains(i.Name)) ? a with { Instances = [.. a.Instances.Where(i => !names.Contains(i.Name))] } : null,
            $"The reservation of {string.Join(", ", names.Select(n => $"'{n}'"))} on '{hostId}' could not be released: its host's reservations kept changing.",
            cancellationToken);

    /// <summary>
    /// The state a settled instance is in when its host reports the domain so; null for a state that settles nothing
    /// (shutting down, unknown), which each caller reads in its own way.
    /// </summary>
    public static LifecycleState? SettledStateOf(InstanceState reported) => reported switch
    {
        InstanceState.Running => LifecycleState.Running,
        InstanceState.Paused or InstanceState.Suspended => LifecycleState.Suspended,
        InstanceState.ShutOff or InstanceState.Crashed => LifecycleState.Stopped,
        _ => null,
    };

    /// <summary>
    /// Applies <paramref name="change"/> to the record if <paramref name="operationId"/> still owns it (retrying when
    /// another writer got in between); false when another operation owns it or it is gone.
    /// </summary>
    public async Task<bool> RecordAsync(string tenantId, string name, string operationId, Func<ManagedInstance, ManagedInstance> change, CancellationToken cancellationToken) =>
        await WriteRecordAsync(tenantId, name, operationId, change, cancellationToken) is not null;

    /// <summary><see cref="RecordAsync"/> answering the record as written (its ETag is the one replaced), or null.</summary>
    private async Task<ManagedInstance?> WriteRecordAsync(
        string tenantId, string name, string operationId, Func<ManagedInstance, ManagedInstance> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            var current = await instances.GetAsync(tenantId, name, cancellationToken);
            if (current is null || current.OperationId != operationId)
            {
                return null;
            }

            var next = change(current) with { UpdatedAt = clock.GetUtcNow() };
            if (await instances.TryReplaceAsync(next, cancellationToken))
            {
                return next;
            }
        }

        return null;
    }

    /// <summary>
    /// Records a workflow step: the state reached and why, what the host reported, the disk once cloned; <paramref name="done"/>
    /// ends the pending action, so the next one may start.
    /// </summary>
    public async Task<bool> RecordStepAsync(
        string tenantId, string name, string operationId, LifecycleState state, string? reason, InstanceState? observed, InstanceVolume? volume, bool done,
        CancellationToken cancellationToken) =>
        (await RecordStepsAsync([new InstanceStep(tenantId, name, operationId, state, reason, observed, volume, done)], cancellationToken))[0];

    /// <summary>
    /// Records many steps (<see cref="RecordStepAsync"/>), answered in their order: false where another operation owns
    /// the record or it is gone. A tenant's records are read and written together (a few requests for a hundred), and
    /// those another writer changed meanwhile go round again.
    /// </summary>
    public async Task<IReadOnlyList<bool>> RecordStepsAsync(IReadOnlyList<InstanceStep> steps, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var recorded = new ManagedInstance?[steps.Count];
        foreach (var tenant in Enumerable.Range(0, steps.Count).GroupBy(i => steps[i].TenantId, StringComparer.Ordinal))
        {
            var pending = tenant.ToList();
            for (var attempt = 0; attempt < WriteAttempts && pending.Count > 0; attempt++)
            {
                var current = await instances.GetManyAsync(tenant.Key, [.. pending.Select(i => steps[i].Name)], cancellationToken);
                var owned = new List<(int Index, ManagedInstance Next)>();
                for (var k = 0; k < pending.Count; k++)
                {
                    if (current[k] is { } record && record.OperationId == steps[pending[k]].OperationId)
                    {
                        owned.Add((pending[k], Apply(steps[pending[k]], record, now)));
                    }
                }

                var replaced = await instances.TryReplaceManyAsync([.. owned.Select(o => o.Next)], cancellationToken);
                for (var k = 0; k < owned.Count; k++)
                {
                    recorded[owned[k].Index] = replaced[k] ? owned[k].Next : null;
                }

                pending = [.. owned.Where((_, k) => !replaced[k]).Select(o => o.Index)];
            }
        }

        await FollowInInventoryAsync(steps, recorded, now, cancellationToken);
        return [.. recorded.Select(r => r is not null)];
    }

    private static ManagedInstance Apply(InstanceStep step, ManagedInstance current, DateTimeOffset now) => current with
    {
        State = step.State,
        Reason = step.Reason,
        Observed = step.Observed ?? current.Observed,
        ObservedAt = step.Observed is null ? current.ObservedAt : now,
        Volume = step.Volume ?? current.Volume,
        PendingAction = step.Done ? null : current.PendingAction,
        UpdatedAt = now,
    };

    /// <summary>
    /// The hosts' inventories follow the records just written (unregistration's in-use check and GET …/resources/{id}/instances
    /// read them), on the hosts those records name: no second read. Terminated instances leave, one write per host;
    /// what a host reported is written for all at once.
    /// </summary>
    private async Task FollowInInventoryAsync(IReadOnlyList<InstanceStep> steps, IReadOnlyList<ManagedInstance?> recorded, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var placed = Enumerable.Range(0, steps.Count).Where(i => recorded[i] is { HostId: not null, Zone: not null }).ToList();
        var leaving = placed.Where(i => steps[i].State == LifecycleState.Terminated)
            .GroupBy(i => (steps[i].TenantId, recorded[i]!.HostId!), i => steps[i].Name)
            .Select(async host =>
            {
                var gone = host.ToHashSet(StringComparer.Ordinal);
                var kept = (await inventory.ListAsync(host.Key.TenantId, host.Key.Item2, cancellationToken)).Where(i => !gone.Contains(i.Name)).ToList();
                await inventory.ReplaceAllAsync(host.Key.TenantId, host.Key.Item2, kept, cancellationToken);
            });
        var seen = placed.Where(i => steps[i].State != LifecycleState.Terminated && steps[i].Observed is not null)
            .Select(i => new ResourceInstance(steps[i].TenantId, recorded[i]!.HostId!, recorded[i]!.Zone!, steps[i].Name, steps[i].Observed!.Value, now))
            .ToList();
        await Task.WhenAll([.. leaving, seen.Count == 0 ? Task.CompletedTask : inventory.UpsertManyAsync(seen, cancellationToken)]);
    }

    /// <summary>
    /// Checks an action against the instance's state. Already in effect (start a running instance): the instance, no
    /// work. Not possible now: a conflict naming the state. Otherwise the record moves to the action's transitional state
    /// under a new operation, conditionally, so of two racing actions one wins.
    /// </summary>
    /// <remarks>
    /// A workflow that must find its own action again after a crash (a stack's step) names the
    /// <paramref name="operationId"/>: a record already carrying that operation's action answers its plan again.
    /// </remarks>
    public async Task<Outcome<ActionStart>> PrepareActionAsync(
        string tenantId, string name, InstanceAction action, string? ifMatch, CancellationToken cancellationToken, string? operationId = null)
    {
        var record = await instances.GetAsync(tenantId, name, cancellationToken);
        if (record is null)
        {
            return DomainError.NotFound("instance", name);
        }

        if (!ETags.Allows(ifMatch, record.ETag))
        {
            return DomainError.Stale("instance", name);
        }

        if (operationId is not null && record.OperationId == operationId && record.PendingAction == action)
        {
            return new ActionStart(record, ActionPlanOf(record, action, record.Prior ?? record.State));
        }

        if (record.PendingAction is { } pending)
        {
            return DomainError.Conflict(
                "Another action is under way.", $"'{name}' is carrying out {Words(pending)} (operation {record.OperationId}); wait for it to end.");
        }

        var (effect, transitional) = Transition(record.State, action);
        switch (effect)
        {
            case Effect.InEffect:
                return new ActionStart(record, null);
            case Effect.Illegal:
                return DomainError.Conflict($"The instance is {Words(record.State)}.", $"'{name}' is {Words(record.State)}; it cannot {Words(action)} now.");
        }

        var next = record with
        {
            State = transitional, OperationId = operationId ?? OperationIds.NewOperationId(), PendingAction = action, Prior = record.State, Reason = null, UpdatedAt = clock.GetUtcNow(),
        };
        if (!await instances.TryReplaceAsync(next, cancellationToken))
        {
            return DomainError.Conflict("The instance changed meanwhile.", $"'{name}' changed while the action was asked; read it again and retry.");
        }

        var saved = await instances.GetAsync(tenantId, name, cancellationToken) ?? next;
        return new ActionStart(saved, ActionPlanOf(next, action, record.State));
    }

    private ActionPlan ActionPlanOf(ManagedInstance record, InstanceAction action, LifecycleState prior) =>
        new(record.TenantId, record.Name, record.OperationId, action, prior, record.HostId, record.Zone, record.HostUri, record.Volume, registration.Value.DrainGraceSeconds);

    public async Task<Outcome<ManagedInstance>> GetAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var record = await instances.GetAsync(tenantId, name, cancellationToken);
        return record is null ? DomainError.NotFound("instance", name) : record;
    }

    /// <summary>The instances that pass <paramref name="filter"/>, a page at a time in name order.</summary>
    public async Task<Outcome<Page<ManagedInstance>>> ListAsync(string tenantId, InstanceFilter filter, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (Paging.Check(pageSize, continuationToken, out var afterName) is { } invalid)
        {
            return invalid;
        }

        var size = pageSize ?? Paging.DefaultPageSize;
        var page = (await instances.ListAllAsync(tenantId, cancellationToken))
            .Where(i => afterName is null || string.CompareOrdinal(i.Name, afterName) > 0)
            .Where(i => Matches(i, filter))
            .Take(size)
            .ToList();
        return new Page<ManagedInstance>(page, page.Count == size ? ContinuationTokens.Encode(page[^1].Name) : null);
    }

    /// <summary>
    /// Records whose workflow may never have been scheduled: accepted launches and adoptions still pending, and actions
    /// still under way, unchanged since <paramref name="before"/> (the host may have stopped between recording the
    /// request and scheduling its workflow). The caller checks each operation's workflow exists.
    /// </summary>
    public async Task<IReadOnlyList<ManagedInstance>> UnfinishedSinceAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        [.. (await instances.ListEveryAsync(cancellationToken))
            .Where(i => (i.State == LifecycleState.Pending || i.PendingAction is not null) && i.UpdatedAt < before)];

    /// <summary>The launch workflow's input for a pending record, as its launch request made it.</summary>
    public static LaunchPlan LaunchPlanOf(ManagedInstance record) => Plan(record, resumed: true);

    /// <summary>The adoption workflow's input for a pending adopted record.</summary>
    public static AdoptPlan AdoptPlanOf(ManagedInstance record) =>
        new(record.TenantId, record.Name, record.OperationId, record.HostId!, record.Zone!, record.HostUri!);

    /// <summary>
    /// Ends an action whose workflow never started: the pending action is dropped and the record goes back to what the
    /// host last reported (a terminate to failed, which terminate accepts again), saying why, so the tenant can ask again.
    /// Conditional on the record: a workflow that moves it meanwhile wins.
    /// </summary>
    public async Task<bool> AbandonActionAsync(ManagedInstance record, CancellationToken cancellationToken)
    {
        var action = record.PendingAction ?? throw new ArgumentException("The record has no action under way.", nameof(record));
        var back = action != InstanceAction.Terminate && record.Observed is { } seen ? SettledStateOf(seen) ?? LifecycleState.Failed : LifecycleState.Failed;
        return await instances.TryReplaceAsync(record with
        {
            State = back,
            PendingAction = null,
            Reason = $"the {Words(action)} was accepted but its workflow never started (the service stopped in between); ask again.",
            UpdatedAt = clock.GetUtcNow(),
        }, cancellationToken);
    }

    /// <summary>The managed instances on a host that keep it from being unregistered: all but terminated and failed ones.</summary>
    public async Task<IReadOnlyList<BlockingItem>> UsesOfAsync(string tenantId, string hostId, CancellationToken cancellationToken) =>
        [.. (await instances.ListAllAsync(tenantId, cancellationToken))
            .Where(i => i.HostId == hostId && i.HoldsCapacity)
            .Select(i => new BlockingItem("instance", i.Name, $"is a managed instance on '{hostId}' ({Words(i.State)}); terminate it first (DELETE /api/v1/instances/{i.Name})."))];

    /// <summary>What an action does from a state: already in effect, not possible, or allowed through the state it names.</summary>
    public static (Effect Effect, LifecycleState Transitional) Transition(LifecycleState state, InstanceAction action) => (state, action) switch
    {
        (LifecycleState.Running or LifecycleState.Starting, InstanceAction.Start) => (Effect.InEffect, state),
        (LifecycleState.Stopped, InstanceAction.Start) => (Effect.Allowed, LifecycleState.Starting),
        (LifecycleState.Stopped or LifecycleState.Stopping, InstanceAction.Stop) => (Effect.InEffect, state),
        (LifecycleState.Running or LifecycleState.Suspended, InstanceAction.Stop) => (Effect.Allowed, LifecycleState.Stopping),
        (LifecycleState.Running, InstanceAction.Restart) => (Effect.Allowed, LifecycleState.Running),
        (LifecycleState.Suspended, InstanceAction.Suspend) => (Effect.InEffect, state),
        (LifecycleState.Running, InstanceAction.Suspend) => (Effect.Allowed, LifecycleState.Running),
        (LifecycleState.Running, InstanceAction.Resume) => (Effect.InEffect, state),
        (LifecycleState.Suspended, InstanceAction.Resume) => (Effect.Allowed, LifecycleState.Suspended),
        (LifecycleState.Terminating or LifecycleState.Terminated, InstanceAction.Terminate) => (Effect.InEffect, state),
        (LifecycleState.Running or LifecycleState.Stopped or LifecycleState.Suspended or LifecycleState.Failed, InstanceAction.Terminate) => (Effect.Allowed, LifecycleState.Terminating),
        _ => (Effect.Illegal, state),
    };

    public static string Words(LifecycleState state) => FieldRules.JsonName(state.ToString());

    public static string Words(InstanceAction action) => FieldRules.JsonName(action.ToString());

    public static bool Matches(ManagedInstance instance, InstanceFilter filter) =>
        (filter.Zone is null || instance.Zone == filter.Zone)
        && (filter.Host is null || instance.HostId == filter.Host)
        && (filter.State is null || instance.State == filter.State)
        && (filter.Tag is null || (filter.Tag.Split('=', 2) is [var key, var value]
            ? instance.Tags.TryGetValue(key, out var tagged) && tagged == value
            : instance.Tags.ContainsKey(filter.Tag)));

    private static LaunchPlan Plan(ManagedInstance record, bool resumed) =>
        new(record.TenantId, record.Name, record.OperationId, record.VirtualCpus, record.MemoryMiB, record.Image, resumed);

    private static PlacementQuery PlacementQueryOf(ManagedInstance record) =>
        new(record.VirtualCpus, record.MemoryMiB, record.Image, record.Zones, record.AntiAffinityGroup, record.SpreadGroup);

    private static void ValidateSize(InstanceSize? size, List<FieldError> errors)
    {
        if (size is null)
        {
            errors.Add(new FieldError("size", "is required: {\"vcpus\": …, \"memoryMiB\": …}."));
            return;
        }

        if (size.Vcpus is not (>= 1 and <= MaxVirtualCpus))
        {
            errors.Add(new FieldError("size.vcpus", $"must be 1 to {MaxVirtualCpus}."));
        }

        if (size.MemoryMiB is not (>= MinMemoryMiB and <= MaxMemoryMiB))
        {
            errors.Add(new FieldError("size.memoryMiB", string.Create(CultureInfo.InvariantCulture, $"must be {MinMemoryMiB} to {MaxMemoryMiB} (1 TiB).")));
        }
    }

    private static void ValidateClientRequestId(string? clientRequestId, List<FieldError> errors)
    {
        if (clientRequestId is not null && (clientRequestId.Length is 0 or > 64 || clientRequestId.Any(char.IsControl)))
        {
            errors.Add(new FieldError("clientRequestId", "must be 1 to 64 printable characters."));
        }
    }

    private static void ValidateTags(IReadOnlyDictionary<string, string>? tags, List<FieldError> errors)
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > MaxTags)
        {
            errors.Add(new FieldError("tags", $"may hold at most {MaxTags} tags."));
        }

        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > FieldRules.MaxNameLength || key.Any(c => char.IsControl(c) || c == '='))
            {
                errors.Add(new FieldError($"tags.{key}", $"a key must be 1 to {FieldRules.MaxNameLength} printable characters without '='."));
            }
            else if (value is null || value.Length > FieldRules.MaxTextLength || value.Any(char.IsControl))
            {
                errors.Add(new FieldError($"tags.{key}", $"a value must be at most {FieldRules.MaxTextLength} printable characters."));
            }
        }
    }

    /// <summary>The zones a launch may use: its zone, or its selector's zones (checked against the kind), or every zone of the kind.</summary>
    internal async Task<List<string>> ResolveZonesAsync(
        string tenantId, LaunchInstanceRequest request, List<FieldError> errors, CancellationToken cancellationToken, IZoneStore? zoneReads = null)
    {
        var zoneStore = zoneReads ?? zones;
        if ((request.Zone is null) == (request.ZoneSelector is null))
        {
            errors.Add(new FieldError("zone", "give exactly one of zone or zoneSelector {kind: provider|client, zones: [...]}."));
            return [];
        }

        if (request.Zone is { } single)
        {
            var before = errors.Count;
            await FieldRules.ZoneExistsAsync(zoneStore, tenantId, "zone", single, errors, cancellationToken);
            FieldRules.Name("zone", single, errors);
            return errors.Count == before ? [single] : [];
        }

        var selector = request.ZoneSelector!;
        if (selector.Zones is { Count: > 0 } named)
        {
            if (named.Count > MaxZones)
            {
                errors.Add(new FieldError("zoneSelector.zones", $"may name at most {MaxZones} zones."));
                return [];
            }

            var result = new List<string>();
            for (var i = 0; i < named.Count; i++)
            {
                var field = $"zoneSelector.zones[{i}]";
                var before = errors.Count;
                FieldRules.Name(field, named[i], errors);
                if (errors.Count > before)
                {
                    continue;
                }

                var zone = await zoneStore.GetAsync(tenantId, named[i], cancellationToken);
                if (zone is null)
                {
                    errors.Add(new FieldError(field, $"there is no zone named '{named[i]}'."));
                }
                else if (selector.Kind is { } kind && zone.Kind != kind)
                {
                    errors.Add(new FieldError(field, $"'{named[i]}' is a {FieldRules.JsonName(zone.Kind.ToString())} zone, not {FieldRules.JsonName(kind.ToString())}."));
                }
                else if (!result.Contains(zone.Name))
                {
                    result.Add(zone.Name);
                }
            }

            return errors.Any(e => e.Field.StartsWith("zoneSelector", StringComparison.Ordinal)) ? [] : result;
        }

        if (selector.Kind is not { } only)
        {
            errors.Add(new FieldError("zoneSelector", "give kind (provider or client), zones, or both."));
            return [];
        }

        var ofKind = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await zoneStore.ListAsync(tenantId, Paging.MaxPageSize, after, cancellationToken);
            ofKind.AddRange(page.Where(z => z.Kind == only).Select(z => z.Name));
            if (page.Count < Paging.MaxPageSize)
            {
                break;
            }

            after = page[^1].Name;
        }

        if (ofKind.Count == 0)
        {
            errors.Add(new FieldError("zoneSelector.kind", $"the tenant has no {FieldRules.JsonName(only.ToString())} zone."));
        }

        return ofKind;
    }

    /// <summary>
    /// What placement needs, read once: the tenant's virtualization hosts with their node info and images (from their
    /// verified capabilities), their zones' connectivity, and every host's reservations.
    /// </summary>
    internal async Task<CapacityView> CapacityAsync(string tenantId, CancellationToken cancellationToken)
    {
        var hosts = new List<ResourceRegistration>();
        string? after = null;
        while (true)
        {
            var page = await resources.ListAsync(tenantId, Paging.MaxPageSize, after, cancellationToken);
            hosts.AddRange(page.Where(r => r.Kind == ResourceKind.VirtualizationHost));
            if (page.Count < Paging.MaxPageSize)
            {
                break;
            }

            after = page[^1].ResourceId;
        }

        var reserved = (await allocations.ListAsync(tenantId, cancellationToken)).ToDictionary(a => a.HostId, StringComparer.Ordinal);
        var connected = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var zone in hosts.Select(h => h.Zone).Distinct())
        {
            connected[zone] = await connectivity.IsConnectedAsync(tenantId, zone, cancellationToken);
        }

        var capacities = hosts.Select(h =>
        {
            var held = reserved.GetValueOrDefault(h.ResourceId);
            return new HostCapacity(
                h.ResourceId,
                h.Zone,
                h.State == RegistrationState.Registered && h.ServiceCategories.Contains(ComputeCategory),
                connected[h.Zone],
                int.TryParse(h.Capabilities.GetValueOrDefault("libvirt.cpus"), NumberStyles.None, CultureInfo.InvariantCulture, out var cpus) ? cpus : 0,
                long.TryParse(h.Capabilities.GetValueOrDefault("libvirt.memoryKiB"), NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib / 1024 : 0,
                (h.Capabilities.GetValueOrDefault("libvirt.images") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
                held?.VirtualCpus ?? 0,
                held?.MemoryMiB ?? 0);
        }).ToList();

        return new CapacityView(capacities, hosts.ToDictionary(h => h.ResourceId, StringComparer.Ordinal), reserved);
    }

    /// <summary>
    /// Changes one host's reservations conditionally on their ETag, reading again after a short random pause when another
    /// writer got in between; <paramref name="change"/> answers null when there is nothing to write.
    /// </summary>
    internal async Task UpdateAllocationAsync(
        string tenantId, string hostId, Func<HostAllocation, HostAllocation?> change, string failure, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            var current = await allocations.GetAsync(tenantId, hostId, cancellationToken) ?? new HostAllocation(tenantId, hostId, []);
            if (change(current) is not { } next || await allocations.TryWriteAsync(next, cancellationToken))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 50)), clock, cancellationToken);
        }

        throw new InvalidOperationException(failure);
    }

    /// <summary>What an action does from a state.</summary>
    public enum Effect
    {
        Allowed,
        InEffect,
        Illegal,
    }
}

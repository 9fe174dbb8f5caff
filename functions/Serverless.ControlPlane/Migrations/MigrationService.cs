using Microsoft.Extensions.Options;
using Serverless.Contracts.Instances;
using Serverless.Contracts.Migrations;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Placement;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Validation;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Migrations;

/// <summary>
/// Quiesce-migrate: checks a migration against the instance, its host and the target (every reason named at once),
/// records it with the instance marked migrating, reserves the target's capacity, records each phase, grants agents a
/// SAS for exactly the blob their step needs, and settles the instance at its end: moved to the target (same name and
/// id, pool memberships following) or back at its source. Only the migration that owns the instance's record writes it.
/// </summary>
public sealed class MigrationService(
    IMigrationStore migrations,
    IManagedInstanceStore instances,
    InstanceService instanceService,
    IInstanceStore inventory,
    IZoneStore zones,
    IPoolStore pools,
    IInstanceStateBlobs blobs,
    IOptions<MigrationOptions> options,
    IOptions<PlacementOptions> placement,
    TimeProvider clock)
{
    public const string MigrationCategory = "migration";
    public const int MaxRetainHours = 168;

    /// <summary>The longest a health check may keep trying, and how long it tries unless told.</summary>
    public const int MaxHealthCheckSeconds = 600;

    public const int DefaultHealthCheckSeconds = 60;
    private const int WriteAttempts = 8;

    /// <summary>
    /// Checks the request and, when the migration can go ahead, records it and marks the instance migrating under the
    /// migration's id. A refusal names every reason (the instance's state, the source, each candidate target host).
    /// </summary>
    public async Task<Outcome<MigrationPlan>> PrepareAsync(string tenantId, string name, MigrateInstanceRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if ((request.TargetZone is null) == (request.TargetHost is null))
        {
            errors.Add(new FieldError("targetZone", "give exactly one of targetZone or targetHost."));
        }

        if (request.TargetZone is { } zoneName)
        {
            FieldRules.Name("targetZone", zoneName, errors);
            await FieldRules.ZoneExistsAsync(zones, tenantId, "targetZone", zoneName, errors, cancellationToken);
        }

        if (request.TargetHost is { } hostName)
        {
            FieldRules.Name("targetHost", hostName, errors);
        }

        var mode = request.Mode switch
        {
            null or "cutover" => MigrationMode.Cutover,
            "test" => MigrationMode.Test,
            _ => (MigrationMode?)null,
        };
        if (mode is null)
        {
            errors.Add(new FieldError("mode", "must be cutover or test."));
        }
        else if (mode == MigrationMode.Test)
        {
            if (request.RetainHours is > 0)
            {
                errors.Add(new FieldError("retainHours", "applies to a cutover; a test migration's blobs are deleted when it ends."));
            }

            if (request.HealthCheck is not null)
            {
                errors.Add(new FieldError("healthCheck", "a test copy runs with its network detached, so no port of it can be checked; leave it out of a test migration."));
            }
        }

        if (request.RetainHours is not (null or (>= 0 and <= MaxRetainHours)))
        {
            errors.Add(new FieldError("retainHours", $"must be 0 to {MaxRetainHours}."));
        }

        if (request.HealthCheck is { } check)
        {
            if (check.Port is not (>= 1 and <= 65535))
            {
                errors.Add(new FieldError("healthCheck.port", "required: a TCP port, 1 to 65535."));
            }

            if (check.Address is { } address && (address.Length is 0 or > 253 || Uri.CheckHostName(address) == UriHostNameType.Unknown))
            {
                errors.Add(new FieldError("healthCheck.address", "must be an IP address or a host name."));
            }

            if (check.TimeoutSeconds is not (null or (>= 1 and <= MaxHealthCheckSeconds)))
            {
                errors.Add(new FieldError("healthCheck.timeoutSeconds", $"must be 1 to {MaxHealthCheckSeconds}."));
            }
        }

        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        var instance = await instances.GetAsync(tenantId, name, cancellationToken);
        if (instance is null)
        {
            return DomainError.NotFound("instance", name);
        }

        var blocking = new List<BlockingItem>();
        if (instance.PendingAction is { } pending)
        {
            blocking.Add(new BlockingItem("instance", name, $"is carrying out {InstanceService.Words(pending)} (operation {instance.OperationId}); wait for it to end."));
        }
        else if (instance.State != LifecycleState.Running)
        {
            blocking.Add(new BlockingItem("instance", name, $"is {InstanceService.Words(instance.State)}; only a running instance can be migrated."));
        }

        if (instance.Adopted || string.IsNullOrEmpty(instance.Image))
        {
            blocking.Add(new BlockingItem("instance", name, "was adopted and has no image, whose storage pool would take its disk at the target."));
        }

        var capacity = await instanceService.CapacityAsync(tenantId, cancellationToken);
        var source = instance.HostId is { } sourceId ? capacity.Resources.GetValueOrDefault(sourceId) : null;
        if (source is null)
        {
            blocking.Add(new BlockingItem("host", instance.HostId ?? "none", "the instance's host is not a registered host of the tenant."));
        }
        else if (source.Capabilities.GetValueOrDefault("libvirt.saveRestore") != "true")
        {
            blocking.Add(new BlockingItem("host", source.ResourceId, $"'{source.ResourceId}' (the source) cannot save a domain: its driver ({source.Capabilities.GetValueOrDefault("libvirt.driver")}) offers no save/restore."));
        }

        var (target, refusals) = ChooseTarget(instance, request, capacity);
        blocking.AddRange(refusals);
        if (mode == MigrationMode.Test && target is not null && target.Capabilities.GetValueOrDefault("migration.testCopy") != "true")
        {
            blocking.Add(new BlockingItem("host", target.ResourceId,
                $"'{target.ResourceId}' (the target) was verified with an agent that cannot make a detached test copy (it reported no migration.testCopy); upgrade its agent and verify the host again."));
        }

        if (blocking.Count > 0 || target is null)
        {
            return DomainError.Blocked(
                "The instance cannot be migrated.",
                string.Join(" ", blocking.Select(b => $"{b.Id}: {b.Detail}")),
                blocking);
        }

        var now = clock.GetUtcNow();
        var id = OperationIds.NewOperationId();
        var record = new MigrationRecord
        {
            TenantId = tenantId,
            Id = id,
            Instance = name,
            SourceZone = instance.Zone!,
            SourceHost = instance.HostId!,
            TargetZone = target.Zone,
            TargetHost = target.ResourceId,
            Phase = MigrationPhase.Preflight,
            Status = MigrationStatus.Running,
            Mode = mode!.Value,
            RetainHours = request.RetainHours ?? 0,
            Phases = [new MigrationPhaseTiming(MigrationPhase.Preflight, now, null)],
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (!await migrations.TryAddAsync(record, cancellationToken))
        {
            return DomainError.Conflict("The migration could not be recorded.", "A migration of that id exists; send the request again.");
        }

        var marked = instance with
        {
            State = LifecycleState.Migrating, OperationId = id, PendingAction = InstanceAction.Migrate, Prior = instance.State, Reason = null, UpdatedAt = now,
        };
        if (!await instances.TryReplaceAsync(marked, cancellationToken))
        {
            await EndAsync(tenantId, id, MigrationStatus.Refused, "the instance changed while the migration was asked; read it again and retry.", [], cancellationToken);
            return DomainError.Conflict("The instance changed meanwhile.", $"'{name}' changed while the migration was asked; read it again and retry.");
        }

        return new MigrationPlan(
            tenantId, id, name, instance.InstanceId, instance.Image, instance.VirtualCpus, instance.MemoryMiB, instance.AntiAffinityGroup, instance.SpreadGroup,
            instance.Zone!, instance.HostId!, instance.HostUri!, instance.Volume,
            target.Zone, target.ResourceId, target.Endpoint, Tuning(), options.Value.StepTimeoutSeconds, record.RetainHours,
            request.HealthCheck is { } health ? health with { TimeoutSeconds = health.TimeoutSeconds ?? DefaultHealthCheckSeconds } : null,
            record.Mode);
    }

    /// <summary>
    /// The target host: the one named, or the one placement prefers among the target zone's hosts registered for
    /// migration. Each host passed over is a reason.
    /// </summary>
    private (ResourceRegistration? Target, List<BlockingItem> Refusals) ChooseTarget(ManagedInstance instance, MigrateInstanceRequest request, CapacityView capacity)
    {
        var refusals = new List<BlockingItem>();
        var named = request.TargetHost is { } hostId ? capacity.Resources.GetValueOrDefault(hostId) : null;
        if (request.TargetHost is not null && named is null)
        {
            refusals.Add(new BlockingItem("host", request.TargetHost, $"'{request.TargetHost}' is not a virtualization host of the tenant."));
            return (null, refusals);
        }

        var zone = named?.Zone ?? request.TargetZone!;
        var candidates = new List<HostCapacity>();
        foreach (var host in capacity.Hosts.Where(h => h.Zone == zone && (named is null || h.HostId == named.ResourceId)))
        {
            var registration = capacity.Resources[host.HostId];
            if (host.HostId == instance.HostId)
            {
                refusals.Add(new BlockingItem("host", host.HostId, $"'{host.HostId}' is where the instance runs now."));
            }
            else if (registration.State != RegistrationState.Registered || !registration.ServiceCategories.Contains(MigrationCategory))
            {
                refusals.Add(new BlockingItem("host", host.HostId, $"'{host.HostId}' is not registered for {MigrationCategory} (its service categories: {string.Join(", ", registration.ServiceCategories)})."));
            }
            else
            {
                candidates.Add(host);
            }
        }

        if (candidates.Count == 0)
        {
            if (refusals.Count == 0)
            {
                refusals.Add(new BlockingItem("zone", zone, $"'{zone}' has no virtualization host."));
            }

            return (null, refusals);
        }

        var query = new PlacementQuery(instance.VirtualCpus, instance.MemoryMiB, instance.Image, [zone], instance.AntiAffinityGroup, instance.SpreadGroup);
        var decision = PlacementEngine.Place(query, candidates, capacity.Groups, placement.Value);
        if (!decision.Placed)
        {
            refusals.AddRange(decision.Refusals.Select(r => new BlockingItem("host", r.Split(' ', 2)[0], r)));
            return (null, refusals);
        }

        return (capacity.Resources[decision.HostId!], []);
    }

    /// <summary>The configured block size and concurrency.</summary>
    public TransferTuning Tuning() => new(options.Value.BlockSizeKiB * 1024, options.Value.Concurrency);

    /// <summary>The configured tuning for a file of <paramref name="bytes"/>: larger blocks (whole MiB) when it would need more than a block blob's 50,000.</summary>
    public static TransferTuning TuningFor(TransferTuning configured, long bytes)
    {
        var needed = (bytes + 49_999) / 50_000;
        return needed <= configured.BlockSizeBytes
            ? configured
            : configured with { BlockSizeBytes = (int)((needed + (1 << 20) - 1) / (1 << 20) * (1 << 20)) };
    }

    /// <summary>
    /// Reserves the instance's size on the target host as well (it holds its source's until the end), conditionally on the
    /// host's reservations and within its capacity as placement counts it; a host that can no longer take it is a
    /// refusal saying why (null when reserved). Safe to repeat: a reservation already made is kept.
    /// </summary>
    public async Task<string?> ReserveTargetAsync(MigrationPlan plan, CancellationToken cancellationToken)
    {
        var capacity = await instanceService.CapacityAsync(plan.TenantId, cancellationToken);
        if (capacity.Hosts.FirstOrDefault(h => h.HostId == plan.TargetHost) is not { } host)
        {
            return $"'{plan.TargetHost}' is no longer a virtualization host of the tenant.";
        }

        var cpuLimit = (int)Math.Floor(host.Cpus * placement.Value.CpuOvercommit);
        var memoryLimit = (long)Math.Floor(host.MemoryMiB * placement.Value.MemoryOvercommit);
        string? refusal = null;
        await instanceService.UpdateAllocationAsync(plan.TenantId, plan.TargetHost, allocation =>
        {
            refusal = null;
            if (allocation.Instances.Any(i => i.Name == plan.Instance))
            {
                return null;
            }

            if (allocation.VirtualCpus + plan.VirtualCpus > cpuLimit || allocation.MemoryMiB + plan.MemoryMiB > memoryLimit)
            {
                refusal = $"'{plan.TargetHost}' has {cpuLimit - allocation.VirtualCpus} vCPU(s) and {memoryLimit - allocation.MemoryMiB} MiB free now; the instance needs {plan.VirtualCpus} and {plan.MemoryMiB}.";
                return null;
            }

            return allocation with { Instances = [.. allocation.Instances, new InstanceAllocation(plan.Instance, plan.VirtualCpus, plan.MemoryMiB, plan.AntiAffinityGroup, plan.SpreadGroup)] };
        }, $"The target '{plan.TargetHost}' could not be reserved for '{plan.Instance}': its reservations kept changing.", cancellationToken);
        return refusal;
    }

    /// <summary>Moves the migration to <paramref name="phase"/>, closing the phase before it, with what the step learnt.</summary>
    public Task<bool> RecordPhaseAsync(string tenantId, string id, MigrationPhase phase, Func<MigrationRecord, MigrationRecord>? learnt, CancellationToken cancellationToken) =>
        UpdateAsync(tenantId, id, m =>
        {
            var now = clock.GetUtcNow();
            var next = learnt?.Invoke(m) ?? m;
            if (m.Phase == phase)
            {
                return next;
            }

            return next with
            {
                Phase = phase,
                Phases = [.. m.Phases.Select(p => p.EndedAt is null ? p with { EndedAt = now } : p), .. phase == MigrationPhase.Done ? Array.Empty<MigrationPhaseTiming>() : [new MigrationPhaseTiming(phase, now, null)]],
            };
        }, cancellationToken);

    /// <summary>
    /// Commit: the instance's record moves to the target (zone, host, URI, disk) and runs there under the same name and
    /// id; pool members that named it on the source follow; the source's reservation and inventory entry go.
    /// </summary>
    public async Task CommitAsync(MigrationPlan plan, InstanceVolume? targetVolume, CancellationToken cancellationToken)
    {
        await instanceService.RecordAsync(plan.TenantId, plan.Instance, plan.MigrationId, i => i with
        {
            Zone = plan.TargetZone,
            Zones = [plan.TargetZone],
            HostId = plan.TargetHost,
            HostUri = plan.TargetUri,
            RequestedHost = i.RequestedHost is null ? null : plan.TargetHost,
            Volume = targetVolume ?? i.Volume,
            State = LifecycleState.Running,
            Observed = InstanceState.Running,
            ObservedAt = clock.GetUtcNow(),
            PendingAction = null,
            Reason = null,
        }, cancellationToken);
        await instanceService.ReleaseAsync(plan.TenantId, plan.SourceHost, plan.Instance, cancellationToken);
        var kept = (await inventory.ListAsync(plan.TenantId, plan.SourceHost, cancellationToken)).Where(i => i.Name != plan.Instance).ToList();
        await inventory.ReplaceAllAsync(plan.TenantId, plan.SourceHost, kept, cancellationToken);
        await inventory.UpsertAsync(new ResourceInstance(plan.TenantId, plan.TargetHost, plan.TargetZone, plan.Instance, InstanceState.Running, clock.GetUtcNow()), cancellationToken);
        await MovePoolMembersAsync(plan, cancellationToken);
        await RecordPhaseAsync(plan.TenantId, plan.MigrationId, MigrationPhase.Commit, m => m with { TargetVolume = targetVolume }, cancellationToken);
    }

    private async Task MovePoolMembersAsync(MigrationPlan plan, CancellationToken cancellationToken)
    {
        foreach (var pool in await pools.ListAllAsync(plan.TenantId, cancellationToken))
        {
            if (!pool.Members.Any(m => Moves(m, plan)))
            {
                continue;
            }

            for (var attempt = 0; attempt < WriteAttempts; attempt++)
            {
                var current = await pools.GetAsync(plan.TenantId, pool.PoolId, cancellationToken);
                if (current is null || !current.Members.Any(m => Moves(m, plan)))
                {
                    break;
                }

                var moved = current with { Members = [.. current.Members.Select(m => Moves(m, plan) ? m with { ResourceId = plan.TargetHost, Zone = plan.TargetZone } : m)] };
                if (await pools.TryReplaceAsync(moved, cancellationToken))
                {
                    break;
                }
            }
        }
    }

    private static bool Moves(PoolMember member, MigrationPlan plan) => member.ResourceId == plan.SourceHost && member.Instance == plan.Instance;

    /// <summary>
    /// The end of a migration that did not commit: the instance is running at its source again (or, when the fallback
    /// failed, failed with the reason, its saved state kept at the source); the target's reservation goes. A test
    /// migration ends here too; one whose copy ran gives no reason, as nothing went wrong.
    /// </summary>
    public async Task SettleAtSourceAsync(MigrationPlan plan, bool sourceRunning, string? reason, CancellationToken cancellationToken)
    {
        await instanceService.RecordAsync(plan.TenantId, plan.Instance, plan.MigrationId, i => i with
        {
            State = sourceRunning ? LifecycleState.Running : LifecycleState.Failed,
            Reason = reason is null ? null
                : sourceRunning ? $"migration {plan.MigrationId} did not move it (it runs at its source): {reason}"
                : reason,
            Observed = sourceRunning ? InstanceState.Running : i.Observed,
            ObservedAt = sourceRunning ? clock.GetUtcNow() : i.ObservedAt,
            PendingAction = null,
        }, cancellationToken);
        await instanceService.ReleaseAsync(plan.TenantId, plan.TargetHost, plan.Instance, cancellationToken);
    }

    /// <summary>Ends the migration record with its status and reason.</summary>
    public Task<bool> EndAsync(
        string tenantId, string id, MigrationStatus status, string? reason, IReadOnlyList<string> refusals, CancellationToken cancellationToken, bool? cutoverWouldSucceed = null) =>
        RecordPhaseAsync(tenantId, id, MigrationPhase.Done, m => m with
        {
            Status = status, Reason = reason, Refusals = refusals.Count > 0 ? refusals : m.Refusals, CutoverWouldSucceed = cutoverWouldSucceed ?? m.CutoverWouldSucceed,
        }, cancellationToken);

    /// <summary>Deletes the migration's blobs.</summary>
    public Task<int> DeleteBlobsAsync(string tenantId, string id, CancellationToken cancellationToken) => blobs.DeleteAsync(tenantId, id, cancellationToken);

    /// <summary>
    /// A SAS for one blob of a migration, for an agent whose step needs it now: write for the source's agent group while
    /// the migration uploads, read for the target's while it restores. Anything else is refused, saying why.
    /// </summary>
    public async Task<Outcome<BlobAccessGrant>> GrantAsync(AgentIdentity agent, BlobAccessRequest request, CancellationToken cancellationToken)
    {
        var migration = string.IsNullOrEmpty(request.MigrationId) ? null : await migrations.GetAsync(agent.TenantId, request.MigrationId, cancellationToken);
        if (migration is null)
        {
            return DomainError.NotFound("migration", request.MigrationId ?? string.Empty);
        }

        var (zone, phase) = request.Access == BlobAccess.Write
            ? (migration.SourceZone, MigrationPhase.Upload)
            : (migration.TargetZone, MigrationPhase.Restore);
        if (agent.AgentGroup != zone)
        {
            return DomainError.Conflict("Not this agent group's blob.",
                $"{request.Access.ToString().ToLowerInvariant()} access to migration {migration.Id}'s blobs is for the agents of '{zone}', not '{agent.AgentGroup}'.");
        }

        if (migration.Status != MigrationStatus.Running || migration.Phase != phase)
        {
            return DomainError.Conflict("The migration is not at that step.",
                $"migration {migration.Id} is {FieldRules.JsonName(migration.Phase.ToString())} ({FieldRules.JsonName(migration.Status.ToString())}); {request.Access.ToString().ToLowerInvariant()} access is granted only while it is {FieldRules.JsonName(phase.ToString())}.");
        }

        var expiresAt = clock.GetUtcNow().AddMinutes(options.Value.SasLifetimeMinutes);
        return await blobs.GrantAsync(agent.TenantId, migration.Id, request.Artifact, request.Access, expiresAt, cancellationToken);
    }

    public async Task<Outcome<MigrationRecord>> GetAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        await migrations.GetAsync(tenantId, id, cancellationToken) is { } found ? found : DomainError.NotFound("migration", id);

    /// <summary>The tenant's migrations, newest first, optionally of one instance.</summary>
    public async Task<IReadOnlyList<MigrationRecord>> ListAsync(string tenantId, string? instance, CancellationToken cancellationToken) =>
        [.. (await migrations.ListAsync(tenantId, cancellationToken)).Where(m => instance is null || m.Instance == instance)];

    private async Task<bool> UpdateAsync(string tenantId, string id, Func<MigrationRecord, MigrationRecord> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            var current = await migrations.GetAsync(tenantId, id, cancellationToken);
            if (current is null)
            {
                return false;
            }

            if (await migrations.TryReplaceAsync(change(current) with { UpdatedAt = clock.GetUtcNow() }, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }
}

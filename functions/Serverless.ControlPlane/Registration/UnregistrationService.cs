using Microsoft.Extensions.Options;
using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Stacks;

namespace Serverless.ControlPlane.Registration;

/// <summary>
/// Checks whether a resource may be unregistered and records each step of the unregistration workflow. Pools with
/// members on it and a host's instances that are not off block it, unless <c>force</c>, which drains them first: the
/// members are deactivated (and stay in their pools, unusable), the instances shut down.
/// </summary>
public sealed class UnregistrationService(
    IResourceStore resources,
    IInstanceStore instances,
    PoolService pools,
    InstanceService managed,
    IPoolRuntimeStore poolStates,
    IStackStore stacks,
    IOptions<RegistrationOptions> options,
    TimeProvider clock)
{
    /// <summary>
    /// The plan, or why not: not found (also for another tenant's resource), a stale <paramref name="ifMatch"/>, a
    /// registration or unregistration under way, or the items that use the resource when <paramref name="force"/> is off.
    /// </summary>
    public async Task<Outcome<UnregistrationPlan>> PlanAsync(string tenantId, string resourceId, bool force, string? ifMatch, CancellationToken cancellationToken)
    {
        var resource = await resources.GetAsync(tenantId, resourceId, cancellationToken);
        if (resource is null)
        {
            return DomainError.NotFound("resource", resourceId);
        }

        if (!ETags.Allows(ifMatch, resource.ETag))
        {
            return DomainError.Stale("resource", resourceId);
        }

        switch (resource.State)
        {
            case RegistrationState.Verifying:
                return DomainError.Conflict("The resource is being registered.", $"'{resourceId}' is being verified by operation {resource.OperationId}; unregister it once that has ended.");
            case RegistrationState.Unregistering:
                return DomainError.Conflict("The resource is being unregistered.", $"'{resourceId}' is being unregistered by operation {resource.OperationId}.");
            case RegistrationState.Unregistered:
                return DomainError.Conflict("The resource is already unregistered.", $"'{resourceId}' was unregistered by operation {resource.OperationId}.");
        }

        // Managed instances block even a forced unregistration: draining would leave records of instances nothing runs.
        var managedUses = resource.Kind == ResourceKind.VirtualizationHost ? await managed.UsesOfAsync(tenantId, resourceId, cancellationToken) : [];
        if (managedUses.Count > 0)
        {
            return DomainError.Blocked(
                "The host runs managed instances.",
                $"'{resourceId}' holds {managedUses.Count} instance(s) launched through the API; terminate them first, forced or not.",
                managedUses);
        }

        // So do stacks: a forced unregistration would leave a stack owning items on a resource that is gone.
        var stackUses = await StackService.UsesOfAsync(stacks, tenantId, resourceId, cancellationToken);
        if (stackUses.Count > 0)
        {
            return DomainError.Blocked(
                "Stacks hold items on the resource.",
                $"'{resourceId}' holds items of {stackUses.Count} stack(s); delete the stacks or plan them off it first, forced or not.",
                stackUses);
        }

        var poolUses = await pools.UsesOfAsync(tenantId, resourceId, cancellationToken);
        var active = resource.Kind == ResourceKind.VirtualizationHost
            ? (await instances.ListAsync(tenantId, resourceId, cancellationToken)).Where(i => i.IsActive).ToList()
            : [];
        if ((poolUses.Count > 0 || active.Count > 0) && !force)
        {
            return DomainError.Blocked(
                "The resource is in use.",
                $"'{resourceId}' serves {poolUses.Count} pool(s) and holds {active.Count} instance(s) that are not off; take it out of the pools and stop the instances, or unregister with ?force=true to deactivate and stop them first.",
                [.. poolUses, .. active.Select(i => new BlockingItem("instance", i.Name, $"is {Words(i.State)} on '{resourceId}'."))]);
        }

        var members = new List<PoolMemberDrain>();
        foreach (var pool in await pools.PoolsUsingAsync(tenantId, resourceId, cancellationToken))
        {
            var states = (await poolStates.ListMemberStatusesAsync(tenantId, pool.PoolId, cancellationToken)).ToDictionary(s => s.MemberId, s => s.State, StringComparer.Ordinal);
            members.AddRange(pool.Members
                .Where(m => m.ResourceId == resourceId && states.GetValueOrDefault(m.MemberId) is MemberState.Active or MemberState.Activating or MemberState.Deactivating)
                .Select(m => new PoolMemberDrain(pool.PoolId, m.MemberId, m.Index, m.Instance)));
        }

        return new UnregistrationPlan(
            tenantId, resourceId, resource.Zone, resource.Kind, resource.Endpoint, force, resource.ETag ?? string.Empty,
            active.Select(i => i.Name).ToList(), options.Value.DrainGraceSeconds, members, resource.Credential, resource.DeviceProfile);
    }

    /// <summary>
    /// Marks the resource Unregistering if it is still the version the plan was checked against. True also when this
    /// operation already did (activities may run more than once); false when someone else changed it first.
    /// </summary>
    public async Task<bool> RecordUnregisteringAsync(UnregistrationPlan plan, string operationId, CancellationToken cancellationToken)
    {
        var current = await resources.GetAsync(plan.TenantId, plan.ResourceId, cancellationToken);
        if (current is { State: RegistrationState.Unregistering } && current.OperationId == operationId)
        {
            return true;
        }

        if (current is null || current.ETag != plan.ETag)
        {
            return false;
        }

        return await resources.TryReplaceAsync(
            current with { State = RegistrationState.Unregistering, OperationId = operationId, Reasons = [], UpdatedAt = clock.GetUtcNow() },
            cancellationToken);
    }

    /// <summary>The host's own report replaces its records, so they show what the host holds even if the unregistration stops here.</summary>
    public Task RecordHostInstancesAsync(UnregistrationPlan plan, IReadOnlyList<HostInstance> reported, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return instances.ReplaceAllAsync(
            plan.TenantId, plan.ResourceId, [.. reported.Select(i => new ResourceInstance(plan.TenantId, plan.ResourceId, plan.Zone, i.Name, i.State, now))], cancellationToken);
    }

    public Task RecordInstanceStoppedAsync(UnregistrationPlan plan, InstanceStopOutput stopped, CancellationToken cancellationToken) =>
        instances.UpsertAsync(new ResourceInstance(plan.TenantId, plan.ResourceId, plan.Zone, stopped.Name, stopped.State, clock.GetUtcNow()), cancellationToken);

    /// <summary>The drained pool members are Inactive now; a member another writer moved meanwhile is left as it is.</summary>
    public async Task RecordMembersDrainedAsync(UnregistrationPlan plan, CancellationToken cancellationToken)
    {
        foreach (var member in plan.Members ?? [])
        {
            var status = await poolStates.GetMemberStatusAsync(plan.TenantId, member.PoolId, member.MemberId, cancellationToken);
            await poolStates.TrySetMemberStatusAsync(
                new PoolMemberStatus(plan.TenantId, member.PoolId, member.MemberId, MemberState.Inactive, clock.GetUtcNow(), $"drained: '{plan.ResourceId}' is being unregistered"),
                status?.ETag,
                cancellationToken);
        }
    }

    /// <summary>Unregistered (the host's instances are no longer ours to track), or back to Registered with the reasons.</summary>
    public async Task RecordOutcomeAsync(UnregistrationPlan plan, string operationId, UnregistrationOutcome outcome, CancellationToken cancellationToken)
    {
        var current = await resources.GetAsync(plan.TenantId, plan.ResourceId, cancellationToken);
        if (current is not { State: RegistrationState.Unregistering } || current.OperationId != operationId)
        {
            return;
        }

        // Instances first: a retry after a failure between the two writes finds the state still Unregistering.
        if (outcome.Unregistered)
        {
            await instances.ReplaceAllAsync(plan.TenantId, plan.ResourceId, [], cancellationToken);
        }

        await resources.UpsertAsync(
            current with
            {
                State = outcome.Unregistered ? RegistrationState.Unregistered : RegistrationState.Registered,
                Reasons = outcome.Notes,
                UpdatedAt = clock.GetUtcNow(),
            },
            cancellationToken);
    }

    private static string Words(InstanceState state) => state switch
    {
        InstanceState.ShuttingDown => "shutting down",
        _ => state.ToString().ToLowerInvariant(),
    };
}

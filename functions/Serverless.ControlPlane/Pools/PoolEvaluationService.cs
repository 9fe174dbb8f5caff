using System.Collections.Concurrent;
using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Contracts.Snmp;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Telemetry;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Pools;

/// <summary>
/// One evaluator tick for a pool: its runtime (members' states, the evaluator's state, the members' reading rings),
/// read with the other pools of its storage partition, beside the tick's shared reads of resources, zones and
/// connectivity; decide with <see cref="PoolPolicyEngine"/>; write the transitions and the state all or nothing, conditional on what was read
/// (so of two evaluators only one acts), batched with the other pools of its storage partition; then send the commands through each member's agent group
/// (and again, for a member pending past <see cref="ResendAfter"/>, in case the first never went out), log the decision,
/// and keep the agents' metric subscriptions renewed. A tick that changes nothing writes nothing. Results of the
/// commands move members on in <see cref="ApplyResultAsync"/>.
/// </summary>
public sealed class PoolEvaluationService(
    IPoolStore pools,
    IPoolRuntimeStore runtime,
    IResourceStore resources,
    IInstanceStore instances,
    IZoneStore zones,
    ConnectivityService connectivity,
    CommandService commands,
    TimeProvider clock)
{
    /// <summary>How often each agent group's subscription is renewed, and how long it lasts without renewal.</summary>
    public static readonly TimeSpan SubscriptionRenewal = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan SubscriptionLease = TimeSpan.FromSeconds(180);

    /// <summary>
    /// How long a member waits in Activating or Deactivating before a tick sends its command again. The commit that makes
    /// a member pending is written before the command is sent (so that of two evaluators only one acts), and a host that
    /// dies in between, or a send that fails, would otherwise leave the member waiting for an answer to a command nobody
    /// got until the action times out. The member's state row is the outbox: the copy has the same command id and issue
    /// time, so the queue's duplicate detection and the agent's ledger absorb it when the first did go out, and an answer
    /// already recorded (its uplink died before applying it) is applied instead.
    /// </summary>
    public static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(10);

    /// <summary>The partition a pool belongs to: evaluators split the pools by it (stable across processes).</summary>
    public static int PartitionOf(string tenantId, string poolId, int partitions)
    {
        var hash = 2166136261u;
        foreach (var c in $"{tenantId}|{poolId}")
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)partitions);
    }

    /// <summary>
    /// The most member transitions one pool's tick writes: with the state row they fill one storage transaction (100
    /// entities). A pool that needs more (a floor of hundreds) takes the rest at the next ticks.
    /// </summary>
    public const int MaxTransitionsPerTick = 99;

    /// <summary>
    /// Evaluates every pool of one partition: their runtimes read together (the store reads a storage partition of
    /// pools at a time), a few pools decided at once, the decisions written together (the store batches the pools of
    /// a storage partition into shared transactions, each pool still all or nothing), then the committed ones acted
    /// on; returns the decisions that changed something.
    /// </summary>
    public async Task<IReadOnlyList<PoolDecision>> EvaluatePartitionAsync(int partition, int partitions, CancellationToken cancellationToken)
    {
        var pools = (await runtime.ListEveryPoolAsync(cancellationToken)).Where(p => PartitionOf(p.TenantId, p.PoolId, partitions) == partition).ToList();
        var decisions = await EvaluateAsync(pools, cancellationToken);
        return [.. decisions.Where(d => d.Acts)];
    }

    public async Task<PoolDecision> EvaluateAsync(PoolDefinition pool, CancellationToken cancellationToken) =>
        (await EvaluateAsync([pool], cancellationToken))[0];

    private async Task<IReadOnlyList<PoolDecision>> EvaluateAsync(IReadOnlyList<PoolDefinition> pools, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var ticks = await runtime.ReadTicksAsync(pools, now, cancellationToken);
        var lookups = new TickLookups(resources, zones, connectivity);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken };
        var plans = new Plan[pools.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, pools.Count), parallel, async (i, token) => plans[i] = await PlanAsync(pools[i], ticks[i], lookups, now, token));

        var writing = plans.Where(p => p.Commit is not null).ToList();
        var written = await runtime.TryCommitAsync([.. writing.Select(p => p.Commit!)], cancellationToken);
        var committed = new HashSet<Plan>(writing.Where((_, i) => written[i]));

        var decisions = new PoolDecision[pools.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, pools.Count), parallel, async (i, token) =>
            decisions[i] = await ActAsync(plans[i], plans[i].Commit is null || committed.Contains(plans[i]), now, token));
        return decisions;
    }

    /// <summary>One pool's decision at a tick and what it would write (null: nothing to write).</summary>
    private sealed record Plan(
        PoolDefinition Pool,
        PoolDecision Decision,
        PoolCommit? Commit,
        IReadOnlyList<PoolTransition> Transitions,
        List<string> Renewals,
        Dictionary<string, ResourceRegistration> Hosts,
        Dictionary<string, PoolMemberStatus> Statuses,
        PoolState State);

    private async Task<Plan> PlanAsync(PoolDefinition pool, PoolRuntime tick, TickLookups lookups, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policy = pool.Policy;
        var statuses = tick.Statuses.ToDictionary(s => s.MemberId, StringComparer.Ordinal);
        var state = tick.State ?? PoolState.Fresh(pool.TenantId, pool.PoolId);
        var hosts = new Dictionary<string, ResourceRegistration>(StringComparer.Ordinal);
        foreach (var id in pool.Members.Select(m => m.ResourceId).Distinct())
        {
            if (await lookups.ResourceAsync(pool.TenantId, id, cancellationToken) is { } resource)
            {
                hosts[id] = resource;
            }
        }

        var connected = new Dictionary<string, bool>(StringComparer.Ordinal);
        var kinds = new Dictionary<string, ZoneKind>(StringComparer.Ordinal);
        foreach (var zone in pool.Members.Select(m => m.Zone).Distinct())
        {
            connected[zone] = await lookups.ConnectedAsync(pool.TenantId, zone, cancellationToken);
            kinds[zone] = await lookups.ZoneKindAsync(pool.TenantId, zone, cancellationToken);
        }

        var snapshot = new PoolSnapshot(pool.PoolId, policy, [.. pool.Members.Select(m =>
        {
            var status = statuses.GetValueOrDefault(m.MemberId);
            var usable = connected[m.Zone] && hosts.TryGetValue(m.ResourceId, out var resource) && resource.State == RegistrationState.Registered;
            return new MemberSnapshot(
                m.MemberId, kinds[m.Zone], status?.State ?? MemberState.Inactive, status?.StateSince ?? pool.UpdatedAt, usable,
                tick.Readings.GetValueOrDefault(m.MemberId) ?? [], m.CostPerHour, status?.ActivationSeconds);
        })], state.LastChangeAt, state.Spend);

        var decision = PoolPolicyEngine.Decide(snapshot, now);
        if (decision.Changes.Count > MaxTransitionsPerTick)
        {
            decision = decision with
            {
                Changes = [.. decision.Changes.Take(MaxTransitionsPerTick)],
                Reason = $"{decision.Reason} ({MaxTransitionsPerTick} of {decision.Changes.Count} changes this tick, the rest at the next)",
            };
        }

        var transitions = decision.Changes.Select(change => new PoolTransition(
            new PoolMemberStatus(pool.TenantId, pool.PoolId, change.MemberId, change.To, now, change.Reason,
                change.To is MemberState.Activating or MemberState.Deactivating ? Guid.NewGuid().ToString("N") : null,
                ActivationSeconds: statuses.GetValueOrDefault(change.MemberId)?.ActivationSeconds),
            statuses.GetValueOrDefault(change.MemberId)?.ETag)).ToList();
        var scaled = decision.Changes.Any(c => c.To is MemberState.Activating or MemberState.Deactivating);
        var version = pool.UpdatedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var renewals = RenewalsDue(pool, state, version != state.SubscribedVersion, hosts, connected, now);

        // Spend accrues whenever the tick sees the running members' cost change (a member's stop is charged up to a tick late).
        var rate = RunningCost(pool, statuses, decision.Changes);
        var spendChanged = Math.Abs(rate - (state.Spend?.RatePerHour ?? 0)) > 1e-9;

        // Most ticks change nothing: no write then. A pool's first tick writes its state, so later ones find it in their one read.
        var stateChanged = scaled || renewals.Count > 0 || version != state.SubscribedVersion || state.ETag is null
            || spendChanged || decision.HeldByBudget != state.HeldByBudget;
        var subscribed = new Dictionary<string, DateTimeOffset>(state.SubscribedAt, StringComparer.Ordinal);
        foreach (var zone in renewals)
        {
            subscribed[zone] = now;
        }

        var nextState = stateChanged
            ? state with
            {
                LastChangeAt = scaled ? now : state.LastChangeAt,
                SubscribedAt = subscribed,
                SubscribedVersion = version,
                Spend = spendChanged ? (state.Spend ?? PoolSpend.None).Accrue(now, rate) : state.Spend,
                HeldByBudget = decision.HeldByBudget,
            }
            : null;
        var commit = transitions.Count == 0 && nextState is null ? null : new PoolCommit(pool.TenantId, pool.PoolId, transitions, nextState);
        return new Plan(pool, decision, commit, transitions, renewals, hosts, statuses, state);
    }

    /// <summary>
    /// After the tick's writes: a pool whose commit landed sends its commands and subscriptions and logs its decision;
    /// of two evaluators racing on one pool, the one whose commit did not land leaves the pool as it found it.
    /// </summary>
    private async Task<PoolDecision> ActAsync(Plan plan, bool committed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (pool, decision) = (plan.Pool, plan.Decision);
        var applied = committed ? decision.Changes : [];
        var active = pool.Members.Count(m => applied.LastOrDefault(c => c.MemberId == m.MemberId) is { } change
            ? change.To == MemberState.Active
            : plan.Statuses.GetValueOrDefault(m.MemberId)?.State == MemberState.Active);
        ControlPlaneTelemetry.PoolEvaluated(pool.PoolId, applied, active);
        if (!committed)
        {
            return decision with { Changes = applied };
        }

        foreach (var transition in plan.Transitions.Where(t => t.Next.PendingCommandId is not null))
        {
            var member = pool.Members.First(m => m.MemberId == transition.Next.MemberId);
            await commands.SendNewAsync(
                RequestOf(pool, member, plan.Hosts[member.ResourceId], transition.Next.State == MemberState.Activating, transition.Next.PendingCommandId!, now), cancellationToken);
        }

        await ResendPendingAsync(plan, [.. applied.Select(c => c.MemberId)], now, cancellationToken);

        await SubscribeAsync(pool, plan.Renewals, plan.Hosts, now, cancellationToken);
        if (applied.Count > 0 || (decision.HeldByBudget && !plan.State.HeldByBudget))
        {
            await runtime.AddEventAsync(
                new PoolEvent(pool.TenantId, pool.PoolId, now, applied.Count > 0 ? "decision" : "budget", decision.Reason, decision.Load, applied), cancellationToken);
        }

        return decision;
    }

    /// <summary>What the members running after <paramref name="changes"/> cost per hour: active, activating or deactivating.</summary>
    private static double RunningCost(PoolDefinition pool, Dictionary<string, PoolMemberStatus> statuses, IReadOnlyList<MemberChange> changes) =>
        pool.Members.Sum(m => (changes.LastOrDefault(c => c.MemberId == m.MemberId)?.To ?? statuses.GetValueOrDefault(m.MemberId)?.State ?? MemberState.Inactive)
            is MemberState.Active or MemberState.Activating or MemberState.Deactivating ? m.CostPerHour : 0);

    /// <summary>
    /// An agent answered a member's activation or deactivation: Active or Inactive when it succeeded, Unhealthy with the
    /// agent's reason when it did not. A result that is not the member's pending command changes nothing. An instance's
    /// start or stop also updates the host's instance record with the state the agent reports, so the record (which
    /// unregistration's in-use check reads) follows what the pool did.
    /// </summary>
    public async Task<bool> ApplyResultAsync(string tenantId, string poolId, string memberId, CommandResult result, CancellationToken cancellationToken)
    {
        var status = await runtime.GetMemberStatusAsync(tenantId, poolId, memberId, cancellationToken);
        if (status is null || status.PendingCommandId != result.CommandId || status.State is not (MemberState.Activating or MemberState.Deactivating))
        {
            return false;
        }

        var activating = status.State == MemberState.Activating;
        var (state, reason) = result.Status == CommandStatus.Succeeded
            ? (activating ? MemberState.Active : MemberState.Inactive, $"agent {result.AgentId} confirmed the {(activating ? "activation" : "deactivation")}")
            : (MemberState.Unhealthy, $"the {(activating ? "activation" : "deactivation")} failed ({result.Error?.Kind.ToString() ?? result.Status.ToString()}): {result.Error?.Message}");
        var now = clock.GetUtcNow();

        // A confirmed activation is measured from when the member became Activating: a measured lead's figure.
        var measured = activating && state == MemberState.Active
            ? (int)Math.Ceiling(Math.Max(0, (now - status.StateSince).TotalSeconds))
            : status.ActivationSeconds;

        // The host's record first: it is what the agent saw, true whether or not this result moves the member, and a
        // reader that sees the member active then finds the instance running.
        await RecordInstanceStateAsync(tenantId, poolId, memberId, result, now, cancellationToken);
        if (!await runtime.TrySetMemberStatusAsync(new PoolMemberStatus(tenantId, poolId, memberId, state, now, reason, ActivationSeconds: measured), status.ETag, cancellationToken))
        {
            return false;
        }

        await runtime.AddEventAsync(new PoolEvent(tenantId, poolId, now, "result", reason, null, [new MemberChange(memberId, status.State, state, reason)]), cancellationToken);
        return true;
    }

    private async Task RecordInstanceStateAsync(string tenantId, string poolId, string memberId, CommandResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reported = result.Status != CommandStatus.Succeeded || result.Output is not { } output
            ? null
            : result.Kind switch
            {
                CommandKinds.StartInstance => output.Deserialize(ContractsJsonContext.Default.InstanceStartOutput)?.State,
                CommandKinds.StopInstance => output.Deserialize(ContractsJsonContext.Default.InstanceStopOutput)?.State,
                _ => null,
            };
        if (reported is not { } state
            || (await pools.GetAsync(tenantId, poolId, cancellationToken))?.Members.FirstOrDefault(m => m.MemberId == memberId) is not { Instance: { } name } member)
        {
            return;
        }

        await instances.UpsertAsync(new ResourceInstance(tenantId, member.ResourceId, member.Zone, name, state, now), cancellationToken);
    }

    /// <summary>
    /// Sends again the commands of members pending for <see cref="ResendAfter"/> or longer that this tick left as they
    /// were (see there why), each as it was first issued; an answer already recorded moves the member on at once.
    /// </summary>
    private async Task ResendPendingAsync(Plan plan, HashSet<string> changed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pool = plan.Pool;
        foreach (var pending in plan.Statuses.Values.Where(s =>
                     s.State is MemberState.Activating or MemberState.Deactivating && s.PendingCommandId is not null && now - s.StateSince >= ResendAfter && !changed.Contains(s.MemberId)))
        {
            if (pool.Members.FirstOrDefault(m => m.MemberId == pending.MemberId) is { } member && plan.Hosts.TryGetValue(member.ResourceId, out var resource)
                && await commands.SendAsync(RequestOf(pool, member, resource, pending.State == MemberState.Activating, pending.PendingCommandId!, pending.StateSince), cancellationToken) is { } answered)
            {
                await ApplyResultAsync(pool.TenantId, pool.PoolId, member.MemberId, answered, cancellationToken);
            }
        }
    }

    private static CommandRequest RequestOf(PoolDefinition pool, PoolMember member, ResourceRegistration resource, bool activate, string commandId, DateTimeOffset issuedAt)
    {
        var key = PoolCommandCorrelation.MemberKey(pool.PoolId, member.MemberId);
        var (kind, payload) = member.IsApplianceManaged
            ? (activate ? CommandKinds.ActivateMember : CommandKinds.DeactivateMember,
                JsonSerializer.SerializeToElement(
                    new MemberActionPayload(key, ApplianceMembers.At(resource.Endpoint, resource.Credential, resource.DeviceProfile, member.Index)),
                    ContractsJsonContext.Default.MemberActionPayload))
            : activate
                ? (CommandKinds.StartInstance, JsonSerializer.SerializeToElement(new InstanceStartPayload(resource.Endpoint, member.Instance!), ContractsJsonContext.Default.InstanceStartPayload))
                : (CommandKinds.StopInstance, JsonSerializer.SerializeToElement(
                    new InstanceStopPayload(resource.Endpoint, member.Instance!, Math.Max(0, pool.Policy.ActionTimeoutSeconds - 30)), ContractsJsonContext.Default.InstanceStopPayload));
        return new CommandRequest(commandId, pool.TenantId, member.Zone, kind, payload, issuedAt, pool.Policy.ActionTimeoutSeconds, PoolCommandCorrelation.For(pool.PoolId, member.MemberId), null);
    }

    /// <summary>
    /// The agent groups whose metric subscription for this pool is due: all connected ones when the pool changed since
    /// the last subscription, else those not renewed for <see cref="SubscriptionRenewal"/>. A subscription lasts
    /// <see cref="SubscriptionLease"/>, so a renewal lost to a crash after the state was written is made up a minute later.
    /// </summary>
    private static List<string> RenewalsDue(
        PoolDefinition pool, PoolState state, bool changed, Dictionary<string, ResourceRegistration> hosts, Dictionary<string, bool> connected, DateTimeOffset now) =>
        [.. pool.Members.Where(m => hosts.ContainsKey(m.ResourceId)).Select(m => m.Zone).Distinct(StringComparer.Ordinal)
            .Where(zone => connected[zone] && (changed || !state.SubscribedAt.TryGetValue(zone, out var at) || now - at >= SubscriptionRenewal))];

    /// <summary>Keeps each agent group polling its members: appliance members over SNMP, instances through libvirt.</summary>
    private async Task SubscribeAsync(PoolDefinition pool, List<string> zones, Dictionary<string, ResourceRegistration> hosts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var zone in zones)
        {
            var targets = pool.Members.Where(m => m.Zone == zone && hosts.ContainsKey(m.ResourceId)).Select(m => m.IsApplianceManaged
                ? new MetricsPollTarget(
                    PoolCommandCorrelation.MemberKey(pool.PoolId, m.MemberId),
                    ApplianceMembers.At(hosts[m.ResourceId].Endpoint, hosts[m.ResourceId].Credential, hosts[m.ResourceId].DeviceProfile, m.Index))
                : new MetricsPollTarget(PoolCommandCorrelation.MemberKey(pool.PoolId, m.MemberId), null, new InstanceTarget(hosts[m.ResourceId].Endpoint, m.Instance!))).ToList();
            var payload = new MetricsSubscribePayload(pool.PoolId, pool.Policy.MetricsIntervalSeconds, (int)SubscriptionLease.TotalSeconds, targets);
            await commands.SendNewAsync(
                new CommandRequest(Guid.NewGuid().ToString("N"), pool.TenantId, zone, CommandKinds.SubscribeMetrics,
                    JsonSerializer.SerializeToElement(payload, ContractsJsonContext.Default.MetricsSubscribePayload), now, 60, new CommandCorrelation(null, null), null),
                cancellationToken);
        }
    }

    /// <summary>
    /// Zones, resources and connectivity read once per tick and tenant, not once per pool: pools of a tenant share them,
    /// and on a busy tick these reads would otherwise outnumber the pools' own.
    /// </summary>
    private sealed class TickLookups(IResourceStore resources, IZoneStore zones, ConnectivityService connectivity)
    {
        // Lazy: GetOrAdd may run a factory more than once when pools evaluated at once ask together; the read must not be.
        private readonly ConcurrentDictionary<(string, string), Lazy<Task<ResourceRegistration?>>> _resources = new();
        private readonly ConcurrentDictionary<(string, string), Lazy<Task<bool>>> _connected = new();
        private readonly ConcurrentDictionary<(string, string), Lazy<Task<ZoneKind>>> _kinds = new();

        public Task<ResourceRegistration?> ResourceAsync(string tenantId, string resourceId, CancellationToken cancellationToken) =>
            _resources.GetOrAdd((tenantId, resourceId), key => new(() => resources.GetAsync(key.Item1, key.Item2, cancellationToken))).Value;

        public Task<bool> ConnectedAsync(string tenantId, string zone, CancellationToken cancellationToken) =>
            _connected.GetOrAdd((tenantId, zone), key => new(() => connectivity.IsConnectedAsync(key.Item1, key.Item2, cancellationToken))).Value;

        public Task<ZoneKind> ZoneKindAsync(string tenantId, string zone, CancellationToken cancellationToken) =>
            _kinds.GetOrAdd((tenantId, zone), key => new(async () => (await zones.GetAsync(key.Item1, key.Item2, cancellationToken))?.Kind ?? ZoneKind.Client)).Value;
    }
}

using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Pools;

/// <summary>
/// Creates, reads, lists, replaces and deletes a tenant's pools. Every field is checked and named when wrong; members
/// must be registered resources of the tenant (another tenant's are simply not found); policies that overlap or can
/// never fire are refused. Replacing and deleting honour <c>If-Match</c>.
/// </summary>
public sealed class PoolService(IPoolStore pools, IPoolRuntimeStore runtime, IResourceStore resources, IMetricWindowStore metrics, TimeProvider clock)
{
    public const int MaxMembers = 500;
    public const int MaxHoldSeconds = 3600;

    public async Task<Outcome<PoolDefinition>> CreateAsync(string tenantId, CreatePoolRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        FieldRules.Name("name", request.Name, errors);
        var validated = await ValidateAsync(tenantId, request.ServiceKind, request.Members, request.Policy, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        var now = clock.GetUtcNow();
        var pool = new PoolDefinition(tenantId, request.Name!, request.ServiceKind!.Value, validated.Members, validated.Policy, now, now);
        return await pools.TryAddAsync(pool, cancellationToken)
            ? await pools.GetAsync(tenantId, pool.PoolId, cancellationToken) ?? pool
            : DomainError.Conflict("The pool already exists.", $"A pool named '{pool.PoolId}' already exists.");
    }

    public async Task<Outcome<PoolDefinition>> GetAsync(string tenantId, string poolId, CancellationToken cancellationToken)
    {
        var pool = await pools.GetAsync(tenantId, poolId, cancellationToken);
        return pool is null ? DomainError.NotFound("pool", poolId) : pool;
    }

    /// <summary>The pool with its members' states, latest readings (within the evaluator's lookback) and schedule windows' next firings.</summary>
    public async Task<Outcome<PoolView>> DescribeAsync(string tenantId, string poolId, CancellationToken cancellationToken)
    {
        var pool = await pools.GetAsync(tenantId, poolId, cancellationToken);
        if (pool is null)
        {
            return DomainError.NotFound("pool", poolId);
        }

        var now = clock.GetUtcNow();

        // The tick's own read of the pool: members' states, the evaluator's state and the readings it decides on.
        var tick = (await runtime.ReadTicksAsync([pool], now, cancellationToken))[0];
        var latest = tick.Readings.Where(r => r.Value.Count > 0).ToDictionary(r => r.Key, r => r.Value[^1], StringComparer.Ordinal);
        var spend = tick.State?.Spend ?? PoolSpend.None;
        return new PoolView(
            pool,
            tick.Statuses,
            latest,
            pool.Policy.Schedule is null ? null : PoolSchedule.StatusAt(pool.Policy, now, tick.Statuses.Max(s => s.ActivationSeconds) ?? 0),
            pool.Policy.Budget is null && pool.Members.All(m => m.CostPerHour == 0) ? null
                : new PoolSpendStatus(spend.SpentAt(now), spend.RatePerHour, spend.ProjectedForMonth(now, spend.RatePerHour), tick.State?.HeldByBudget ?? false, pool.Policy.Budget));
    }

    /// <summary>The default and the longest window of <see cref="ReadMetricsAsync"/>, in minutes (readings are kept an hour by default).</summary>
    public const int DefaultMetricsMinutes = 15;

    public const int MaxMetricsMinutes = 24 * 60;

    /// <summary>What the members' agents posted of the policy's metric in the last <paramref name="minutes"/>, for a chart against the thresholds.</summary>
    public async Task<Outcome<PoolMetrics>> ReadMetricsAsync(string tenantId, string poolId, int? minutes, CancellationToken cancellationToken)
    {
        if (minutes is < 1 or > MaxMetricsMinutes)
        {
            return DomainError.Invalid([new FieldError("minutes", $"must be 1 to {MaxMetricsMinutes}.")]);
        }

        var pool = await pools.GetAsync(tenantId, poolId, cancellationToken);
        if (pool is null)
        {
            return DomainError.NotFound("pool", poolId);
        }

        var since = clock.GetUtcNow().AddMinutes(-(minutes ?? DefaultMetricsMinutes));
        return new PoolMetrics(pool, since, await ReadingsAsync(pool, since, cancellationToken));
    }

    /// <summary>Each member's readings of the policy's metric since <paramref name="since"/>, by member id; none is an empty list.</summary>
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>>> ReadingsAsync(PoolDefinition pool, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var windows = await metrics.ReadAsync(
            pool.TenantId, [.. pool.Members.Select(m => PoolCommandCorrelation.MemberKey(pool.PoolId, m.MemberId))], pool.Policy.Metric, since, cancellationToken);
        return pool.Members.ToDictionary(
            m => m.MemberId,
            m => windows.GetValueOrDefault(PoolCommandCorrelation.MemberKey(pool.PoolId, m.MemberId)) ?? [],
            StringComparer.Ordinal);
    }

    /// <summary>The pool's decision log, newest first, a page at a time.</summary>
    public async Task<Outcome<Page<PoolEvent>>> ListEventsAsync(string tenantId, string poolId, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (Paging.Check(pageSize, continuationToken, out var after) is { } invalid)
        {
            return invalid;
        }

        DateTimeOffset? before = null;
        if (after is not null)
        {
            if (!long.TryParse(after, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks)
            {
                return DomainError.Invalid([new FieldError("continuationToken", "is not a token this API returned.")]);
            }

            before = new DateTimeOffset(ticks, TimeSpan.Zero);
        }

        if (await pools.GetAsync(tenantId, poolId, cancellationToken) is null)
        {
            return DomainError.NotFound("pool", poolId);
        }

        var size = pageSize ?? Paging.DefaultPageSize;
        var events = await runtime.ListEventsAsync(tenantId, poolId, size, before, cancellationToken);
        return new Page<PoolEvent>(events, events.Count == size
            ? ContinuationTokens.Encode(events[^1].At.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : null);
    }

    public async Task<Outcome<Page<PoolDefinition>>> ListAsync(string tenantId, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (Paging.Check(pageSize, continuationToken, out var afterId) is { } invalid)
        {
            return invalid;
        }

        var size = pageSize ?? Paging.DefaultPageSize;
        var page = await pools.ListAsync(tenantId, size, afterId, cancellationToken);
        return new Page<PoolDefinition>(page, page.Count == size ? ContinuationTokens.Encode(page[^1].PoolId) : null);
    }

    /// <summary>Replaces the definition; members kept by id keep their state. A stale <paramref name="ifMatch"/> is 412.</summary>
    public async Task<Outcome<PoolDefinition>> UpdateAsync(string tenantId, string poolId, UpdatePoolRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        var current = await pools.GetAsync(tenantId, poolId, cancellationToken);
        if (current is null)
        {
            return DomainError.NotFound("pool", poolId);
        }

        var errors = new List<FieldError>();
        var validated = await ValidateAsync(tenantId, request.ServiceKind, request.Members, request.Policy, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        if (!ETags.Allows(ifMatch, current.ETag))
        {
            return DomainError.Stale("pool", poolId);
        }

        var now = clock.GetUtcNow();
        var replaced = current with { ServiceKind = request.ServiceKind!.Value, Members = validated.Members, Policy = validated.Policy, UpdatedAt = now };
        return await pools.TryReplaceAsync(replaced, cancellationToken)
            ? await pools.GetAsync(tenantId, poolId, cancellationToken) ?? replaced
            : DomainError.Stale("pool", poolId);
    }

    /// <summary>
    /// Removes the members named in <paramref name="remove"/> and adds those of <paramref name="add"/> not there yet,
    /// conditionally, reading again when the pool changed meanwhile: members others added stay, and repeating the call
    /// changes nothing more. Members kept keep their state.
    /// </summary>
    public async Task<Outcome<PoolDefinition>> ChangeMembersAsync(
        string tenantId, string poolId, IReadOnlyList<PoolMember> add, IReadOnlyCollection<string> remove, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var current = await pools.GetAsync(tenantId, poolId, cancellationToken);
            if (current is null)
            {
                return DomainError.NotFound("pool", poolId);
            }

            var kept = current.Members.Where(m => !remove.Contains(m.MemberId)).ToList();
            var members = kept.Concat(add.Where(a => !kept.Any(m => m.MemberId == a.MemberId))).ToList();
            if (members.Count > MaxMembers)
            {
                return DomainError.Conflict("The pool would be too large.", $"Pool '{poolId}' would have {members.Count} members; at most {MaxMembers}.");
            }

            if (members.Count == current.Members.Count && members.All(current.Members.Contains))
            {
                return current;
            }

            if (await pools.TryReplaceAsync(current with { Members = members, UpdatedAt = clock.GetUtcNow() }, cancellationToken))
            {
                return await pools.GetAsync(tenantId, poolId, cancellationToken) ?? current;
            }
        }

        return DomainError.Conflict("The pool kept changing.", $"Pool '{poolId}' changed on every one of eight attempts to change its members; try again.");
    }

    /// <summary>Deletes the pool and its members' states; the members stay as they are on their devices and hosts.</summary>
    public async Task<Outcome<PoolDefinition>> DeleteAsync(string tenantId, string poolId, string? ifMatch, CancellationToken cancellationToken)
    {
        var current = await pools.GetAsync(tenantId, poolId, cancellationToken);
        if (current is null)
        {
            return DomainError.NotFound("pool", poolId);
        }

        if (!ETags.Allows(ifMatch, current.ETag))
        {
            return DomainError.Stale("pool", poolId);
        }

        return await pools.TryDeleteAsync(tenantId, poolId, ifMatch is null or "*" ? null : ifMatch, cancellationToken)
            ? current
            : DomainError.Stale("pool", poolId);
    }

    /// <summary>The pools with members on <paramref name="resourceId"/>.</summary>
    public async Task<IReadOnlyList<PoolDefinition>> PoolsUsingAsync(string tenantId, string resourceId, CancellationToken cancellationToken) =>
        [.. (await pools.ListAllAsync(tenantId, cancellationToken)).Where(p => p.Members.Any(m => m.ResourceId == resourceId))];

    /// <summary>The pools whose members live on <paramref name="resourceId"/>: they keep it from being unregistered.</summary>
    public async Task<IReadOnlyList<BlockingItem>> UsesOfAsync(string tenantId, string resourceId, CancellationToken cancellationToken) =>
        [.. (await pools.ListAllAsync(tenantId, cancellationToken))
            .Where(p => p.Members.Any(m => m.ResourceId == resourceId))
            .Select(p => new BlockingItem("pool", p.PoolId, $"has {p.Members.Count(m => m.ResourceId == resourceId)} member(s) on '{resourceId}'."))];

    private async Task<(IReadOnlyList<PoolMember> Members, PoolPolicy Policy)> ValidateAsync(
        string tenantId, ServiceKind? kind, IReadOnlyList<PoolMemberRequest>? members, PoolPolicyRequest? policy, List<FieldError> errors, CancellationToken cancellationToken)
    {
        FieldRules.Required("serviceKind", kind, errors);
        var validMembers = await ValidateMembersAsync(tenantId, members, errors, cancellationToken);
        var validPolicy = ValidatePolicy(policy, members?.Count ?? 0, clock.GetUtcNow(), errors);
        if (errors.Count == 0 && validPolicy.Budget is { } budget)
        {
            MinimumWithinBudget(validMembers, validPolicy, budget, errors);
        }

        return (validMembers, validPolicy);
    }

    private async Task<List<PoolMember>> ValidateMembersAsync(string tenantId, IReadOnlyList<PoolMemberRequest>? members, List<FieldError> errors, CancellationToken cancellationToken)
    {
        var valid = new List<PoolMember>();
        if (members is null || members.Count == 0 || members.Count > MaxMembers)
        {
            errors.Add(new FieldError("members", $"must list 1 to {MaxMembers} members."));
            return valid;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var places = new HashSet<string>(StringComparer.Ordinal);
        var found = new Dictionary<string, ResourceRegistration?>(StringComparer.Ordinal);
        for (var i = 0; i < members.Count; i++)
        {
            var field = $"members[{i}]";
            var member = members[i];
            if (member is null)
            {
                errors.Add(new FieldError(field, "is required."));
                continue;
            }

            var before = errors.Count;
            FieldRules.Name($"{field}.id", member.Id, errors);
            FieldRules.Name($"{field}.resource", member.Resource, errors);
            if (member.CostPerHour is { } cost && (double.IsNaN(cost) || double.IsInfinity(cost) || cost < 0))
            {
                errors.Add(new FieldError($"{field}.costPerHour", "must be a finite number of 0 or more: what the member costs per hour while it runs."));
            }

            if (member.Id is not null && !ids.Add(member.Id))
            {
                errors.Add(new FieldError($"{field}.id", $"'{member.Id}' is listed twice."));
            }

            if ((member.Index is null) == (member.Instance is null))
            {
                errors.Add(new FieldError(field, "give exactly one of index (a device behind an SNMP appliance) or instance (a domain on a virtualization host)."));
            }
            else if (member.Index is not null && !FieldRules.IsMemberIndex(member.Index))
            {
                errors.Add(new FieldError($"{field}.index", "must be index arcs such as 3 or 1.4."));
            }
            else if (member.Instance is { } instance && (instance.Length is 0 or > 255 || instance.Any(char.IsControl)))
            {
                errors.Add(new FieldError($"{field}.instance", "must be a domain name of 1 to 255 printable characters."));
            }

            if (errors.Count > before)
            {
                continue;
            }

            if (!found.TryGetValue(member.Resource!, out var resource))
            {
                resource = await resources.GetAsync(tenantId, member.Resource!, cancellationToken);
                found[member.Resource!] = resource;
            }

            var expected = member.Index is not null ? ResourceKind.SnmpAppliance : ResourceKind.VirtualizationHost;
            if (resource is null)
            {
                errors.Add(new FieldError($"{field}.resource", $"there is no resource named '{member.Resource}'."));
            }
            else if (resource.State != RegistrationState.Registered)
            {
                errors.Add(new FieldError($"{field}.resource", $"'{member.Resource}' is {FieldRules.JsonName(resource.State.ToString())}; only registered resources can serve a pool."));
            }
            else if (resource.Kind != expected)
            {
                errors.Add(new FieldError($"{field}.resource", member.Index is not null
                    ? $"'{member.Resource}' is a virtualization host; name an instance on it, not an index."
                    : $"'{member.Resource}' is an SNMP appliance; name a member index on it, not an instance."));
            }
            else if (!places.Add($"{member.Resource}/{member.Index ?? member.Instance}"))
            {
                errors.Add(new FieldError(field, $"another member already is {(member.Index is not null ? "index " + member.Index : "instance " + member.Instance)} on '{member.Resource}'."));
            }
            else
            {
                valid.Add(new PoolMember(member.Id!, resource.ResourceId, resource.Zone, member.Index, member.Instance, member.CostPerHour ?? 0));
            }
        }

        return valid;
    }

    private static PoolPolicy ValidatePolicy(PoolPolicyRequest? policy, int memberCount, DateTimeOffset now, List<FieldError> errors)
    {
        var fallback = new PoolPolicy(string.Empty, 0, 0, 0, 0, 0, 1, 1, 1, MemberPreference.ClientFirst);
        if (policy is null)
        {
            errors.Add(new FieldError("policy", "is required."));
            return fallback;
        }

        var before = errors.Count;
        if (string.IsNullOrWhiteSpace(policy.Metric) || policy.Metric.Length > 64 || policy.Metric.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add(new FieldError("policy.metric", "is required: a metric of the members' profile or agent, such as connections.active, of at most 64 characters without spaces."));
        }

        Required("policy.activateAbove", policy.ActivateAbove, errors);
        Required("policy.deactivateBelow", policy.DeactivateBelow, errors);
        Required("policy.activateAfterSeconds", policy.ActivateAfterSeconds, errors);
        Required("policy.deactivateAfterSeconds", policy.DeactivateAfterSeconds, errors);
        var interval = policy.MetricsIntervalSeconds ?? 10;
        Range("policy.metricsIntervalSeconds", interval, 5, 300, errors);
        Range("policy.activateAfterSeconds", policy.ActivateAfterSeconds, interval, MaxHoldSeconds, errors, "one metrics interval");
        Range("policy.deactivateAfterSeconds", policy.DeactivateAfterSeconds, interval, MaxHoldSeconds, errors, "one metrics interval");
        var cooldown = policy.CooldownSeconds ?? 60;
        Range("policy.cooldownSeconds", cooldown, 0, 86_400, errors);
        var timeout = policy.ActionTimeoutSeconds ?? 120;
        Range("policy.actionTimeoutSeconds", timeout, 10, 3600, errors);
        if (policy.ActivateAbove is { } above && policy.DeactivateBelow is { } below && below >= above)
        {
            errors.Add(new FieldError("policy.deactivateBelow", $"must be below activateAbove ({above}): the rules would overlap and the pool would flap."));
        }

        if (policy.ActivateAbove is { } a && (double.IsNaN(a) || double.IsInfinity(a)) || policy.DeactivateBelow is { } b && (double.IsNaN(b) || double.IsInfinity(b)))
        {
            errors.Add(new FieldError("policy", "thresholds must be finite numbers."));
        }

        var minActive = policy.MinActive ?? 1;
        var maxActive = policy.MaxActive ?? Math.Max(minActive, memberCount);
        Range("policy.minActive", minActive, 1, MaxMembers, errors);
        if (maxActive < minActive)
        {
            errors.Add(new FieldError("policy.maxActive", $"must be at least minActive ({minActive})."));
        }

        if (memberCount > 0 && minActive > memberCount)
        {
            errors.Add(new FieldError("policy.minActive", $"cannot be met: the pool lists {memberCount} member(s)."));
        }

        if (memberCount > 0 && maxActive > memberCount)
        {
            errors.Add(new FieldError("policy.maxActive", $"can never be reached: the pool lists {memberCount} member(s)."));
        }

        var step = policy.Step ?? 1;
        Range("policy.step", step, 1, Math.Max(1, maxActive), errors, "1 to maxActive");
        var unhealthyRetry = policy.UnhealthyRetrySeconds ?? 600;
        Range("policy.unhealthyRetrySeconds", unhealthyRetry, 10, 86_400, errors);
        var minSize = policy.MinSize ?? 1;
        var maxSize = policy.MaxSize ?? MaxMembers;
        Range("policy.minSize", minSize, 1, MaxMembers, errors);
        Range("policy.maxSize", maxSize, minSize, MaxMembers, errors, "minSize");
        if (memberCount > 0 && (memberCount < minSize || memberCount > maxSize))
        {
            errors.Add(new FieldError("members", $"the pool must list {minSize} to {maxSize} members (policy.minSize, policy.maxSize); it lists {memberCount}."));
        }

        var schedule = errors.Count > before ? null : PoolSchedule.Validate(policy.Schedule, minActive, maxActive, memberCount, now, errors);
        if (policy.Budget is { } budget)
        {
            if (budget.PerHour is null && budget.PerMonth is null)
            {
                errors.Add(new FieldError("policy.budget", "sets no limit: give perHour, perMonth or both."));
            }

            foreach (var (field, limit) in new[] { ("policy.budget.perHour", budget.PerHour), ("policy.budget.perMonth", budget.PerMonth) })
            {
                if (limit is { } value && (double.IsNaN(value) || double.IsInfinity(value) || value < 0))
                {
                    errors.Add(new FieldError(field, "must be a finite number of 0 or more, in the unit of the members' costPerHour."));
                }
            }
        }

        return errors.Count > before
            ? fallback
            : new PoolPolicy(policy.Metric!, policy.ActivateAbove!.Value, policy.ActivateAfterSeconds!.Value, policy.DeactivateBelow!.Value,
                policy.DeactivateAfterSeconds!.Value, cooldown, minActive, maxActive, step, policy.Preference ?? MemberPreference.ClientFirst,
                interval, timeout, minSize, maxSize, unhealthyRetry, schedule, policy.Budget);
    }

    /// <summary>
    /// The minimum wins over the budget at run time, so a minimum whose cheapest members alone cost more than the budget
    /// would spend past it for sure: refused, with the figures.
    /// </summary>
    private static void MinimumWithinBudget(IReadOnlyList<PoolMember> members, PoolPolicy policy, PoolBudget budget, List<FieldError> errors)
    {
        var floors = new[] { ("policy.minActive", policy.MinActive) }
            .Concat((policy.Schedule ?? []).Select((w, i) => ($"policy.schedule[{i}].minActive", w.MinActive ?? policy.MinActive)));
        foreach (var (field, floor) in floors)
        {
            var cheapest = members.Select(m => m.CostPerHour).Order().Take(floor).Sum();
            if (budget.PerHour is { } perHour && cheapest > perHour)
            {
                errors.Add(new FieldError(field, $"{floor} running member(s) cost at least {cheapest:0.###}/h, above budget.perHour {perHour:0.###}: the minimum would always spend past the budget."));
            }
            else if (budget.PerMonth is { } perMonth && cheapest * 24 * 31 > perMonth && field == "policy.minActive")
            {
                errors.Add(new FieldError(field, $"{floor} running member(s) cost at least {cheapest * 24 * 31:0.###} in a 31-day month, above budget.perMonth {perMonth:0.###}: the minimum would always spend past the budget."));
            }
        }
    }

    private static void Required<T>(string field, T? value, List<FieldError> errors)
        where T : struct
    {
        if (value is null)
        {
            errors.Add(new FieldError(field, "is required."));
        }
    }

    private static void Range(string field, int? value, int min, int max, List<FieldError> errors, string? minName = null)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors.Add(new FieldError(field, minName is null ? $"must be {min} to {max}." : $"must be at least {minName} ({min}) and at most {max}."));
        }
    }
}

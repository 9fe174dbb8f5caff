using System.Globalization;
using Serverless.Contracts.Snmp;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Placement;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Stacks;

/// <summary>
/// Computes a stack's plan: for every item the template describes and every item the stack owns, one action (create,
/// update, replace, delete, no-op) with its zone and host. New instances are placed one after another on one view of
/// the capacity, as the rollout will reserve them, so each sees what the ones before it took; a placement that cannot
/// be met is an error naming the tier. Pure: the same inputs give the same plan, which is how an apply knows whether
/// its plan still holds.
/// </summary>
internal static class StackPlanner
{
    /// <summary>What the planner reads besides the template and the items.</summary>
    /// <param name="TierZones">Each tier's zones, resolved from its zone or selector.</param>
    /// <param name="Appliances">The tenant's registered SNMP appliances by id.</param>
    /// <param name="Pools">The tenant's pools.</param>
    public sealed record Inputs(
        string TenantId,
        string Stack,
        int Run,
        IReadOnlyDictionary<string, IReadOnlyList<string>> TierZones,
        IReadOnlyList<StackItem> Items,
        CapacityView Capacity,
        PlacementOptions Placement,
        IReadOnlyDictionary<string, ResourceRegistration> Appliances,
        IReadOnlySet<string> Pools);

    public static (IReadOnlyList<StackStep> Steps, IReadOnlyList<FieldError> Errors) Plan(StackTemplate template, Inputs inputs)
    {
        var errors = new List<FieldError>();
        var steps = new List<StackStep>();
        var items = inputs.Items.ToDictionary(i => i.Key, StringComparer.Ordinal);
        var levels = StackTemplateReader.Levels(template);
        var levelOf = levels.SelectMany((names, level) => names.Select(n => (n, level))).ToDictionary(p => p.n, p => p.level, StringComparer.Ordinal);
        var changedTiers = new HashSet<string>(StringComparer.Ordinal);

        foreach (var level in levels)
        {
            foreach (var component in level)
            {
                if (template.Tiers.FirstOrDefault(t => t.Name == component) is { } tier)
                {
                    var index = template.Tiers.ToList().IndexOf(tier);
                    PlanTier(tier, index, levelOf[component], inputs, items, steps, errors, changedTiers);
                }
                else if (template.Appliances.FirstOrDefault(a => a.Name == component) is { } appliance)
                {
                    var index = template.Appliances.ToList().IndexOf(appliance);
                    PlanAppliance(appliance, index, levelOf[component], inputs, items, steps, errors);
                }
                else
                {
                    var membership = template.Pools.First(p => p.Name == component);
                    var index = template.Pools.ToList().IndexOf(membership);
                    PlanMembership(membership, index, levelOf[component], inputs, items, steps, errors, changedTiers);
                }
            }
        }

        var desired = steps.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var item in inputs.Items.Where(i => i.IsInEffect && !desired.Contains(i.Key)).OrderByDescending(i => i.Level).ThenBy(i => i.Key, StringComparer.Ordinal))
        {
            steps.Add(DeleteOf(item));
        }

        return (steps, errors);
    }

    /// <summary>The step that undoes what an item holds: terminate its instance, put back the values it set, remove its members.</summary>
    public static StackStep DeleteOf(StackItem item) => item.Kind switch
    {
        StackItemKind.Instance => new StackStep(item.Key, item.Kind, item.Component, item.Level, StackActionKind.Delete, item.Spec, item.Zone, item.Host, item.Instance, null,
            $"terminate instance '{item.Instance}' on '{item.Host}'"),
        StackItemKind.Appliance => new StackStep(item.Key, item.Kind, item.Component, item.Level, StackActionKind.Delete, item.Spec, item.Zone, item.Appliance, null, null,
            $"put back on '{item.Appliance}' the values read before the stack set them: {Describe(item.Original ?? [])}",
            Appliance: new StackApplianceTarget(item.Appliance!, item.Zone!, item.Device!, item.Original ?? [])),
        _ => new StackStep(item.Key, item.Kind, item.Component, item.Level, StackActionKind.Delete, item.Spec, null, null, null, null,
            $"remove {item.Members?.Count ?? 0} member(s) the stack added from pool '{item.Pool}'",
            Membership: new StackMembershipTarget(item.Pool!, item.Component)),
    };

    public static string InstanceKey(string tier, int index) => string.Create(CultureInfo.InvariantCulture, $"instance:{tier}:{index}");

    public static string GroupName(string stack, string tier) => $"{stack}-{tier}";

    private static void PlanTier(
        StackTier tier, int index, int level, Inputs inputs, Dictionary<string, StackItem> items, List<StackStep> steps, List<FieldError> errors, HashSet<string> changedTiers)
    {
        var zones = inputs.TierZones[tier.Name];
        var group = GroupName(inputs.Stack, tier.Name);
        var tags = new Dictionary<string, string>(tier.Tags, StringComparer.Ordinal) { ["stack"] = inputs.Stack, ["tier"] = tier.Name };
        var launch = new StackLaunch(tier.VirtualCpus, tier.MemoryMiB, tier.Image, zones, tier.AntiAffinity ? group : null, tier.Spread ? group : null, tags);
        var spec = string.Create(CultureInfo.InvariantCulture,
            $"vcpus={launch.VirtualCpus};memoryMiB={launch.MemoryMiB};image={launch.Image};zones={string.Join(',', zones)};antiAffinity={tier.AntiAffinity};spread={tier.Spread};tags={string.Join(',', tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"))}");
        for (var n = 1; n <= tier.Count; n++)
        {
            var key = InstanceKey(tier.Name, n);
            var baseName = string.Create(CultureInfo.InvariantCulture, $"{inputs.Stack}-{tier.Name}-{n}");
            var item = items.GetValueOrDefault(key);
            if (item is { IsInEffect: true } && item.Spec == spec)
            {
                steps.Add(new StackStep(key, StackItemKind.Instance, tier.Name, level, StackActionKind.NoOp, spec, item.Zone, item.Host, item.Instance, null, $"instance '{item.Instance}' stays as it is"));
                continue;
            }

            var replacing = item is { IsInEffect: true };

            // A name is reused only when nothing of an earlier attempt holds it (never made, or terminated by an undo).
            var name = item is null || (item.State == StackItemState.Undone && item.Before is null) ? baseName : string.Create(CultureInfo.InvariantCulture, $"{baseName}-r{inputs.Run}");
            var decision = PlacementEngine.Place(
                new PlacementQuery(launch.VirtualCpus, launch.MemoryMiB, launch.Image, zones, launch.AntiAffinityGroup, launch.SpreadGroup),
                inputs.Capacity.Hosts, inputs.Capacity.Groups, inputs.Placement);
            if (!decision.Placed)
            {
                errors.Add(new FieldError($"$.tiers[{index}]", $"instance {n} of {tier.Count} cannot be placed: {decision.Explanation}"));
                continue;
            }

            inputs.Capacity.Reserve(inputs.TenantId, decision.HostId!, new InstanceAllocation(name, launch.VirtualCpus, launch.MemoryMiB, launch.AntiAffinityGroup, launch.SpreadGroup));
            var zone = inputs.Capacity.Resources[decision.HostId!].Zone;
            changedTiers.Add(tier.Name);
            steps.Add(replacing
                ? new StackStep(key, StackItemKind.Instance, tier.Name, level, StackActionKind.Replace, spec, zone, decision.HostId, name, item!.Instance,
                    $"launch '{name}' on '{decision.HostId}' ({Changes(item.Spec, spec)}); '{item.Instance}' is terminated once the rollout succeeded", launch)
                : new StackStep(key, StackItemKind.Instance, tier.Name, level, StackActionKind.Create, spec, zone, decision.HostId, name, null,
                    $"launch '{name}' ({launch.VirtualCpus} vCPU, {launch.MemoryMiB} MiB, {launch.Image}) on '{decision.HostId}'", launch));
        }
    }

    private static void PlanAppliance(ApplianceStep step, int index, int level, Inputs inputs, Dictionary<string, StackItem> items, List<StackStep> steps, List<FieldError> errors)
    {
        if (!inputs.Appliances.TryGetValue(step.Appliance, out var appliance))
        {
            errors.Add(new FieldError($"$.appliances[{index}].appliance", $"'{step.Appliance}' is not a registered SNMP appliance of the tenant."));
            return;
        }

        var bindings = step.Expanded;
        var key = $"appliance:{step.Name}";
        var spec = $"appliance={appliance.ResourceId};set={Describe(bindings)}";
        var target = new StackApplianceTarget(appliance.ResourceId, appliance.Zone, new SnmpDevice(appliance.Endpoint, appliance.Credential ?? string.Empty), bindings);
        var item = items.GetValueOrDefault(key);
        var action = item is not { IsInEffect: true } ? StackActionKind.Create : item.Spec == spec ? StackActionKind.NoOp : StackActionKind.Update;
        var detail = action switch
        {
            StackActionKind.NoOp => $"'{appliance.ResourceId}' keeps the values the stack set",
            StackActionKind.Update => $"read, then set on '{appliance.ResourceId}': {Describe(bindings)} ({Changes(item!.Spec, spec)})",
            _ => $"read, then set on '{appliance.ResourceId}': {Describe(bindings)}",
        };
        steps.Add(new StackStep(key, StackItemKind.Appliance, step.Name, level, action, spec, appliance.Zone, appliance.ResourceId, null, null, detail, Appliance: target));
    }

    private static void PlanMembership(
        PoolMembershipStep membership, int index, int level, Inputs inputs, Dictionary<string, StackItem> items, List<StackStep> steps, List<FieldError> errors, HashSet<string> changedTiers)
    {
        if (!inputs.Pools.Contains(membership.Pool))
        {
            errors.Add(new FieldError($"$.pools[{index}].pool", $"there is no pool named '{membership.Pool}'."));
            return;
        }

        var key = $"membership:{membership.Name}";
        var spec = $"pool={membership.Pool};tier={membership.Tier}";
        var item = items.GetValueOrDefault(key);
        var action = item is not { IsInEffect: true } ? StackActionKind.Create
            : item.Spec != spec || changedTiers.Contains(membership.Tier) || item.State != StackItemState.Applied ? StackActionKind.Update
            : StackActionKind.NoOp;
        var detail = action == StackActionKind.NoOp
            ? $"pool '{membership.Pool}' keeps the tier's instances as members"
            : $"make the instances of tier '{membership.Tier}' the stack's members of pool '{membership.Pool}'";
        steps.Add(new StackStep(key, StackItemKind.Membership, membership.Name, level, action, spec, null, null, null, null, detail, Membership: new StackMembershipTarget(membership.Pool, membership.Tier)));
    }

    public static string Describe(IReadOnlyList<SnmpBinding> bindings) =>
        bindings.Count == 0 ? "nothing" : string.Join(", ", bindings.Select(b => $"{b.Oid}={b.Type}:{b.Value}"));

    /// <summary>The parts of a spec that differ, as <c>field: old → new</c>.</summary>
    private static string Changes(string before, string after)
    {
        var old = before.Split(';').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var changed = after.Split(';').Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && old.GetValueOrDefault(p[0]) != p[1])
            .Select(p => $"{p[0]}: {old.GetValueOrDefault(p[0]) ?? "none"} → {p[1]}");
        return string.Join("; ", changed);
    }
}

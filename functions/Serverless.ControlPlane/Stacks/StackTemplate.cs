using Serverless.Contracts.Snmp;
using Serverless.ControlPlane.Instances;

namespace Serverless.ControlPlane.Stacks;

/// <summary>
/// A checked stack template (schema version 1) with its parameters already substituted: the tiers of instances, the
/// appliance steps and the pool memberships that make the stack (its components), and the outputs to report.
/// </summary>
/// <param name="OnFailure">What a failed rollout does: undo this run's work (the default) or stop where it failed.</param>
/// <param name="Concurrency">How many items may run at once per tier and per zone.</param>
public sealed record StackTemplate(
    IReadOnlyList<StackTier> Tiers,
    IReadOnlyList<ApplianceStep> Appliances,
    IReadOnlyList<PoolMembershipStep> Pools,
    IReadOnlyList<StackOutput> Outputs,
    FailureMode OnFailure,
    StackConcurrency Concurrency)
{
    public const int SchemaVersion = 1;

    /// <summary>Every component, each with the components it waits for.</summary>
    public IEnumerable<(string Name, IReadOnlyList<string> DependsOn)> Components =>
        Tiers.Select(t => (t.Name, t.DependsOn))
            .Concat(Appliances.Select(a => (a.Name, a.DependsOn)))
            .Concat(Pools.Select(p => (p.Name, (IReadOnlyList<string>)[.. p.DependsOn.Append(p.Tier).Distinct(StringComparer.Ordinal)])));
}

/// <summary><c>count</c> instances of one spec, named <c>{stack}-{tier}-{1..count}</c>.</summary>
/// <param name="Zone">The one zone it uses, or <paramref name="ZoneSelector"/>; resolved when the plan is made.</param>
/// <param name="ZoneSelector">As the instance API takes it; null when <paramref name="Zone"/> named one zone.</param>
/// <param name="AntiAffinity">Never two of the tier's instances on one host.</param>
/// <param name="Spread">The tier's instances spread across its zones, then its hosts.</param>
public sealed record StackTier(
    string Name,
    int Count,
    string? Zone,
    ZoneSelector? ZoneSelector,
    int VirtualCpus,
    int MemoryMiB,
    string Image,
    bool AntiAffinity,
    bool Spread,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> DependsOn);

/// <summary>
/// SNMP sets on a registered appliance, each binding once per member index (<c>{member}</c> in an OID is replaced by
/// the index). The values are read first and kept, so a rollback or a delete puts them back.
/// </summary>
public sealed record ApplianceStep(string Name, string Appliance, IReadOnlyList<SnmpBinding> Set, IReadOnlyList<string> Members, IReadOnlyList<string> DependsOn)
{
    /// <summary>The bindings as the device is sent them: each <c>{member}</c> OID once per member.</summary>
    public IReadOnlyList<SnmpBinding> Expanded =>
        [.. Set.SelectMany(b => b.Oid.Contains("{member}", StringComparison.Ordinal)
            ? Members.Select(m => b with { Oid = b.Oid.Replace("{member}", m, StringComparison.Ordinal) })
            : [b])];
}

/// <summary>A tier's instances as members of an existing pool (members named after the instances); removed on undo.</summary>
public sealed record PoolMembershipStep(string Name, string Pool, string Tier, IReadOnlyList<string> DependsOn);

/// <summary>A value the stack reports once applied: an attribute (<c>names</c>, <c>hosts</c>, <c>zones</c>) of a tier's instances.</summary>
public sealed record StackOutput(string Name, string Tier, string Attribute)
{
    public static readonly IReadOnlyList<string> Attributes = ["names", "hosts", "zones"];
}

/// <summary>Items started at once: at most <see cref="PerTier"/> of one component and <see cref="PerZone"/> in one zone.</summary>
public sealed record StackConcurrency(int PerTier, int PerZone)
{
    public const int Max = 100;

    public static readonly StackConcurrency Default = new(10, 20);
}

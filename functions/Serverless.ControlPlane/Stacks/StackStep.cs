using Serverless.Contracts.Snmp;

namespace Serverless.ControlPlane.Stacks;

/// <summary>
/// One action of a plan on one item, with everything the rollout needs to carry it out: what a plan shows and what
/// the orchestration executes are the same records.
/// </summary>
/// <param name="Key">The item: <c>instance:{tier}:{n}</c>, <c>appliance:{step}</c> or <c>membership:{step}</c>.</param>
/// <param name="Level">The component's dependency level.</param>
/// <param name="Spec">The item's canonical spec after the action.</param>
/// <param name="Instance">An instance item: the instance the action makes (create, replace) or removes (delete).</param>
/// <param name="Retiring">A replacement: the instance it replaces, terminated after the rollout succeeded.</param>
/// <param name="Detail">What the action does, in words.</param>
public sealed record StackStep(
    string Key,
    StackItemKind Kind,
    string Component,
    int Level,
    StackActionKind Action,
    string Spec,
    string? Zone,
    string? Host,
    string? Instance,
    string? Retiring,
    string Detail,
    StackLaunch? Launch = null,
    StackApplianceTarget? Appliance = null,
    StackMembershipTarget? Membership = null);

/// <summary>An instance as the stack launches it.</summary>
public sealed record StackLaunch(int VirtualCpus, int MemoryMiB, string Image, IReadOnlyList<string> Zones, string? AntiAffinityGroup, string? SpreadGroup, IReadOnlyDictionary<string, string> Tags);

/// <summary>An appliance step's device and the values to set (for a delete: the values to put back).</summary>
public sealed record StackApplianceTarget(string Resource, string Zone, SnmpDevice Device, IReadOnlyList<SnmpBinding> Bindings);

/// <summary>A pool membership: the pool and the tier whose instances are its members.</summary>
public sealed record StackMembershipTarget(string Pool, string Tier);

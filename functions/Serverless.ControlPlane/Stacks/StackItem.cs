using Serverless.Contracts.Snmp;
using Serverless.ControlPlane.Pools;

namespace Serverless.ControlPlane.Stacks;

/// <summary>
/// One item of a stack as last recorded: what it is (<see cref="Spec"/>, the canonical text plans compare), where it
/// stands, what exists for it on the devices, and what it was before the current run touched it (<see cref="Before"/>),
/// which a rollback restores.
/// </summary>
public sealed record StackItem
{
    public required string Key { get; init; }

    public required StackItemKind Kind { get; init; }

    /// <summary>The template component it belongs to (tier, appliance step or pool membership).</summary>
    public required string Component { get; init; }

    /// <summary>The component's dependency level: undo and delete go from the highest down.</summary>
    public required int Level { get; init; }

    public required StackItemState State { get; init; }

    public required string Spec { get; init; }

    /// <summary>The run that last changed it.</summary>
    public required int Run { get; init; }

    public string? Zone { get; init; }

    public string? Host { get; init; }

    /// <summary>An instance item: its instance's name.</summary>
    public string? Instance { get; init; }

    /// <summary>A replacement's predecessor, terminated once the run succeeded.</summary>
    public string? Retiring { get; init; }

    /// <summary>An appliance item: the registered appliance.</summary>
    public string? Appliance { get; init; }

    /// <summary>An appliance item: the device as commands name it.</summary>
    public SnmpDevice? Device { get; init; }

    /// <summary>An appliance item: the values set.</summary>
    public IReadOnlyList<SnmpBinding>? Bindings { get; init; }

    /// <summary>An appliance item: the values read before the stack first set them; a delete puts them back.</summary>
    public IReadOnlyList<SnmpBinding>? Original { get; init; }

    /// <summary>An appliance item: the values read before this run's set; a rollback puts them back.</summary>
    public IReadOnlyList<SnmpBinding>? RunPrior { get; init; }

    /// <summary>A membership item: the pool.</summary>
    public string? Pool { get; init; }

    /// <summary>A membership item: the members the stack added (and only those it removes).</summary>
    public IReadOnlyList<PoolMember>? Members { get; init; }

    public string? Reason { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The item as it was before the current run changed it; null when the run created it.</summary>
    public StackItem? Before { get; init; }

    /// <summary>Whether the stack owns an object for it now (what delete undoes and plans compare against).</summary>
    public bool IsInEffect => State is StackItemState.Applied or StackItemState.Retained or StackItemState.DeleteFailed or StackItemState.Deleting;
}

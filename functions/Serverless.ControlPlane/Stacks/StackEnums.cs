using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Stacks;

/// <summary>Where a stack stands; every state but the ones in progress lets a new plan be applied, so none is a dead end.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<StackStatus>))]
public enum StackStatus
{
    /// <summary>Planned, never applied.</summary>
    New,
    RollingOut,
    Succeeded,

    /// <summary>A rollout with <c>onFailure: keep</c> stopped at a failure: retry, roll back, or apply a new plan.</summary>
    Failed,
    RollingBack,
    RolledBack,

    /// <summary>Some undo failed: continue-rollback tries them again (or skips them, keeping them as retained).</summary>
    RollbackFailed,
    Deleting,
    Deleted,
}

/// <summary>What a stack item is.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<StackItemKind>))]
public enum StackItemKind
{
    /// <summary>One instance of a tier.</summary>
    Instance,

    /// <summary>An appliance step's SNMP sets.</summary>
    Appliance,

    /// <summary>A tier's instances as members of a pool.</summary>
    Membership,
}

/// <summary>Where one item stands.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<StackItemState>))]
public enum StackItemState
{
    /// <summary>In the run's plan, not started.</summary>
    Pending,
    Applying,

    /// <summary>In effect as its spec says.</summary>
    Applied,
    Failed,
    Undoing,

    /// <summary>What the run did to it was undone.</summary>
    Undone,
    UndoFailed,

    /// <summary>An undo skipped by continue-rollback: the object is still there, and the stack still owns it.</summary>
    Retained,
    Deleting,
    DeleteFailed,
}

/// <summary>What a plan does to an item.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<StackActionKind>))]
public enum StackActionKind
{
    Create,

    /// <summary>Changed in place: appliance values set again, pool members brought up to date.</summary>
    Update,

    /// <summary>A new instance with the new spec; the old one goes once the whole rollout succeeded.</summary>
    Replace,

    /// <summary>No longer in the template: undone once the rest of the rollout succeeded.</summary>
    Delete,
    NoOp,
}

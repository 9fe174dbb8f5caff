using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;
using Serverless.Contracts.Snmp;
using Serverless.ControlPlane.Pools;

namespace Serverless.ControlPlane.Stacks;

/// <summary>What a step is doing to its item, as the journal records it.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<StackStepPhase>))]
public enum StackStepPhase
{
    /// <summary>Carrying out the plan's action.</summary>
    Apply,

    /// <summary>Undoing what the unsettled runs did to it (rollback).</summary>
    Undo,

    /// <summary>Removing what the stack holds for it (the item left the template, or the stack is deleted).</summary>
    Delete,

    /// <summary>Terminating the instance a replacement took over from.</summary>
    Retire,

    /// <summary>An undo continue-rollback was told to skip: the item is kept as retained.</summary>
    Skip,
}

/// <summary>
/// One journal write from the orchestration: before a step (<see cref="Done"/> false) or after it, with what came of it.
/// </summary>
/// <param name="Sequence">Counted by the orchestration: the same step writes the same entry on a replay.</param>
/// <param name="Succeeded">After a step: whether it did what it should.</param>
/// <param name="Uncertain">After a failed step: whether it may have taken effect anyway (a timeout), so an undo must still run.</param>
/// <param name="Read">An appliance step: the values read before its set.</param>
/// <param name="Members">A membership step: the members the stack now holds in the pool.</param>
/// <param name="OperationId">An instance step: the operation its instance workflow runs under.</param>
public sealed record StackJournalEntry(
    string TenantId,
    string Stack,
    int Run,
    int Sequence,
    StackStep Step,
    StackStepPhase Phase,
    bool Done,
    bool Succeeded = false,
    bool Uncertain = false,
    string? Reason = null,
    string? Host = null,
    string? Zone = null,
    IReadOnlyList<SnmpBinding>? Read = null,
    IReadOnlyList<PoolMember>? Members = null,
    string? OperationId = null);

using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Stacks;

/// <summary>The input of the stack orchestration: one run of one kind over a stack.</summary>
/// <param name="Run">The stack's version this run makes; item journal entries are keyed by it.</param>
/// <param name="PlanId">Apply and retry: the plan whose actions to carry out; the orchestration reads them by this id, so its
/// input stays small (a start message whose instance row is written slowly is put back for seconds).</param>
/// <param name="Skip">Continue-rollback: the items whose undo is skipped, kept as retained.</param>
public sealed record StackRun(
    string TenantId,
    string Stack,
    string OperationId,
    int Run,
    StackRunKind Kind,
    FailureMode OnFailure,
    StackConcurrency Concurrency,
    string? PlanId,
    IReadOnlyList<string> Skip);

/// <summary>What a run does.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<StackRunKind>))]
public enum StackRunKind
{
    /// <summary>Carries a plan out (also a retry of what a kept failure left).</summary>
    Apply,

    /// <summary>Undoes the last run's work.</summary>
    Rollback,

    /// <summary>Undoes what a failed rollback left, skipping the named items.</summary>
    ContinueRollback,

    /// <summary>Undoes everything the stack owns.</summary>
    Delete,
}

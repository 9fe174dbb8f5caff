using System.Text.Json;

namespace Serverless.ControlPlane.Stacks;

/// <summary>The body of <c>POST /api/v1/stacks/{name}/plans</c>.</summary>
/// <param name="Template">The stack template (schema version 1).</param>
/// <param name="Parameters">Values for the template's parameters; declared defaults fill the rest.</param>
public sealed record StackPlanRequest(JsonElement? Template, IReadOnlyDictionary<string, JsonElement>? Parameters);

/// <summary>The body of <c>POST /api/v1/stacks/{name}/continue-rollback</c>.</summary>
/// <param name="Skip">Items whose undo is not tried again: they are kept as retained.</param>
public sealed record ContinueRollbackRequest(IReadOnlyList<string>? Skip);

/// <summary>A stack with its items, for reading.</summary>
public sealed record StackView(StackRecord Stack, IReadOnlyList<StackItem> Items);

/// <summary>The launches of stack steps that start together, under one operation id derived from the steps.</summary>
public sealed record StackLaunchesInput(string TenantId, string Stack, int Run, string OperationId, IReadOnlyList<StackStep> Steps);

/// <summary>The launch to run, or why none can.</summary>
public sealed record StackLaunchStart(Instances.LaunchPlan? Plan, string? Refusal);

/// <summary>The terminations of stack steps that run together, under one operation id derived from the steps.</summary>
public sealed record StackTerminatesInput(string TenantId, IReadOnlyList<string> Instances, string OperationId);

/// <summary>The termination to run; none when the instance is gone already (which counts as done), or why it cannot.</summary>
public sealed record StackTerminateStart(Instances.ActionPlan? Plan, bool Gone, string? Refusal);

/// <summary>A membership step: bring the stack's members of the pool to the tier's instances (apply) or to what they were (undo, delete).</summary>
public sealed record StackMembershipInput(string TenantId, string Stack, StackStep Step, StackStepPhase Phase);

/// <summary>The members the stack now holds in the pool, or why they could not be changed.</summary>
public sealed record StackMembershipOutcome(bool Succeeded, IReadOnlyList<Pools.PoolMember> Members, string? Reason);

/// <summary>The end of a run: how it ended and why.</summary>
public sealed record StackRunEnd(string TenantId, string Stack, string OperationId, int Run, StackRunKind Kind, StackStatus Status, string? Reason);

/// <summary>What the orchestration returns: the status the stack ended in and why, item by item.</summary>
public sealed record StackRunOutcome(string Stack, StackStatus Status, string? Reason, IReadOnlyList<string> FailedItems);

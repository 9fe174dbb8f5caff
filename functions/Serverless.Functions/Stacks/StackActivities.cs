using Microsoft.Azure.Functions.Worker;
using Serverless.ControlPlane.Stacks;

namespace Serverless.Functions.Stacks;

/// <summary>The side effects of the stack orchestration; each calls one service method and is safe to repeat.</summary>
public sealed class StackActivities(StackService stacks)
{
    [Function(FunctionNames.JournalStackSteps)]
    public Task JournalAsync([ActivityTrigger] IReadOnlyList<StackJournalEntry> entries, CancellationToken cancellationToken) => stacks.JournalAsync(entries, cancellationToken);

    [Function(FunctionNames.NoteStackRun)]
    public Task NoteAsync([ActivityTrigger] StackNote note, CancellationToken cancellationToken) =>
        stacks.NoteAsync(note.TenantId, note.Stack, note.Run, note.Sequence, note.Phase, note.Message, cancellationToken);

    [Function(FunctionNames.PrepareStackLaunches)]
    public Task<IReadOnlyList<StackLaunchStart>> PrepareLaunchesAsync([ActivityTrigger] StackLaunchesInput input, CancellationToken cancellationToken) =>
        stacks.PrepareLaunchesAsync(input, cancellationToken);

    [Function(FunctionNames.PrepareStackTerminates)]
    public Task<IReadOnlyList<StackTerminateStart>> PrepareTerminatesAsync([ActivityTrigger] StackTerminatesInput input, CancellationToken cancellationToken) =>
        stacks.PrepareTerminatesAsync(input, cancellationToken);

    [Function(FunctionNames.ChangeStackMembership)]
    public Task<StackMembershipOutcome> ChangeMembershipAsync([ActivityTrigger] StackMembershipInput input, CancellationToken cancellationToken) =>
        stacks.ChangeMembershipAsync(input, cancellationToken);

    [Function(FunctionNames.PlanStackApply)]
    public Task<IReadOnlyList<StackStep>> PlanApplyAsync([ActivityTrigger] StackApplyQuery query, CancellationToken cancellationToken) =>
        stacks.ApplyStepsAsync(query.TenantId, query.Stack, query.PlanId, cancellationToken);

    [Function(FunctionNames.PlanStackUndo)]
    public Task<IReadOnlyList<StackStep>> PlanUndoAsync([ActivityTrigger] StackUndoQuery query, CancellationToken cancellationToken) =>
        stacks.UndoStepsAsync(query.TenantId, query.Stack, cancellationToken);

    [Function(FunctionNames.PlanStackDelete)]
    public Task<IReadOnlyList<StackStep>> PlanDeleteAsync([ActivityTrigger] StackUndoQuery query, CancellationToken cancellationToken) =>
        stacks.DeleteStepsAsync(query.TenantId, query.Stack, cancellationToken);

    [Function(FunctionNames.FinishStackRun)]
    public Task<StackRunOutcome> FinishAsync([ActivityTrigger] StackRunEnd end, CancellationToken cancellationToken) => stacks.FinishAsync(end, cancellationToken);
}

/// <summary>Which plan's actions a rollout carries out.</summary>
public sealed record StackApplyQuery(string TenantId, string Stack, string PlanId);

/// <summary>Which stack's undo or delete steps to compute.</summary>
public sealed record StackUndoQuery(string TenantId, string Stack);

/// <summary>A journal entry with no item.</summary>
public sealed record StackNote(string TenantId, string Stack, int Run, int Sequence, string Phase, string Message);

/// <summary>The stack orchestration's custom status: the phase and how many of its steps are done.</summary>
public sealed record StackProgress(string Step, int Done, int Total);

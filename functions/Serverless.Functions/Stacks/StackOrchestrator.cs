using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Snmp;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Stacks;
using Serverless.Functions.Commands;
using Serverless.Functions.Registration;

namespace Serverless.Functions.Stacks;

/// <summary>
/// One run over a stack. Apply: components in dependency order, a level at a time; a level's items in parallel, at most
/// <see cref="StackConcurrency.PerTier"/> of one component and <see cref="StackConcurrency.PerZone"/> in one zone. Then
/// cleanup, from the highest level down: replaced instances are terminated, items that left the template deleted. A
/// failed step stops new starts; the rollout then undoes what the unsettled runs did (<c>onFailure: rollback</c>) or
/// stops (<c>keep</c>). Rollback, continue-rollback and delete undo items from the highest level down. Every step writes
/// a journal entry before it acts and one after; every effect is a command with an id derived from this orchestration
/// and the step, or a sub-orchestration under an id derived from the step, so a host killed anywhere repeats the step
/// and the repeat changes nothing twice. Every wait ends at a deadline.
/// </summary>
public static class StackOrchestrator
{
    private const int SnmpTimeoutSeconds = 60;

    [Function(FunctionNames.StackOrchestrator)]
    public static async Task<StackRunOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var run = context.GetInput<StackRun>() ?? throw new InvalidOperationException("The stack orchestration was started without a run.");
        var journal = new Journal(context, run);
        await journal.NoteAsync("run:begin", $"{Words(run.Kind)} of '{run.Stack}' (version {run.Run}, operation {run.OperationId}) begins");
        var (status, reason) = run.Kind switch
        {
            StackRunKind.Apply => await ApplyAsync(context, journal, run),
            StackRunKind.Delete => await DeleteAsync(context, journal, run),
            _ => await RollbackAsync(context, journal, run, run.Kind == StackRunKind.ContinueRollback ? run.Skip : []),
        };
        await journal.NoteAsync("run:end", $"{Words(run.Kind)} ended {StackService.Words(status)}{(reason is null ? string.Empty : $": {reason}")}");
        var outcome = await context.CallActivityAsync<StackRunOutcome>(
            FunctionNames.FinishStackRun, new StackRunEnd(run.TenantId, run.Stack, run.OperationId, run.Run, run.Kind, status, reason), RecordingRetry.Options);
        journal.Progress("done");
        return outcome;
    }

    /// <summary>The text as a sentence: a full stop unless the last reason brought one.</summary>
    private static string Sentence(string text) => text.EndsWith('.') ? text : $"{text}.";

    private static async Task<(StackStatus, string?)> ApplyAsync(TaskOrchestrationContext context, Journal journal, StackRun run)
    {
        var steps = await context.CallActivityAsync<IReadOnlyList<StackStep>>(
            FunctionNames.PlanStackApply, new StackApplyQuery(run.TenantId, run.Stack, run.PlanId ?? throw new InvalidOperationException("An apply run names no plan.")), RecordingRetry.Options);
        var main = steps.Where(s => s.Action is StackActionKind.Create or StackActionKind.Update or StackActionKind.Replace).ToList();
        var results = await RunLevelsAsync(context, journal, run, main, StackStepPhase.Apply, ascending: true, stopOnFailure: true);
        var failures = results.Where(r => !r.Succeeded).ToList();
        if (failures.Count > 0)
        {
            var reason = $"{failures.Count} step(s) failed: {string.Join("; ", failures.Select(f => $"{f.Key}: {f.Reason}"))}";
            if (run.OnFailure == FailureMode.Keep)
            {
                return (StackStatus.Failed, $"{Sentence(reason)} Kept as it is: retry, roll back, or apply a new plan.");
            }

            var (status, undoReason) = await RollbackAsync(context, journal, run, []);
            return (status, status == StackStatus.RolledBack ? $"{reason}; rolled back." : $"{reason}; {undoReason}");
        }

        var cleanup = steps.Where(s => s.Action == StackActionKind.Replace).Select(s => (Step: s, Phase: StackStepPhase.Retire))
            .Concat(steps.Where(s => s.Action == StackActionKind.Delete).Select(s => (Step: s, Phase: StackStepPhase.Delete)))
            .ToList();
        var cleaned = new List<StepResult>();
        foreach (var phase in new[] { StackStepPhase.Retire, StackStepPhase.Delete })
        {
            cleaned.AddRange(await RunLevelsAsync(context, journal, run, [.. cleanup.Where(c => c.Phase == phase).Select(c => c.Step)], phase, ascending: false, stopOnFailure: false));
        }

        var left = cleaned.Where(r => !r.Succeeded).ToList();
        return (StackStatus.Succeeded, left.Count == 0 ? null : $"rolled out; {left.Count} old item(s) could not be removed (a new plan deletes them again): {string.Join("; ", left.Select(f => $"{f.Key}: {f.Reason}"))}");
    }

    private static async Task<(StackStatus, string?)> RollbackAsync(TaskOrchestrationContext context, Journal journal, StackRun run, IReadOnlyList<string> skip)
    {
        journal.Progress("rollingBack");
        var steps = await context.CallActivityAsync<IReadOnlyList<StackStep>>(FunctionNames.PlanStackUndo, new StackUndoQuery(run.TenantId, run.Stack), RecordingRetry.Options);
        foreach (var skipped in steps.Where(s => skip.Contains(s.Key)))
        {
            await journal.WriteAsync([new StackJournalEntry(run.TenantId, run.Stack, run.Run, journal.Next(), skipped, StackStepPhase.Skip, Done: false)]);
            await journal.WriteAsync([new StackJournalEntry(run.TenantId, run.Stack, run.Run, journal.Next(), skipped, StackStepPhase.Skip, Done: true, Succeeded: true)]);
        }

        var results = await RunLevelsAsync(context, journal, run, [.. steps.Where(s => !skip.Contains(s.Key))], StackStepPhase.Undo, ascending: false, stopOnFailure: false);
        var failures = results.Where(r => !r.Succeeded).ToList();
        return failures.Count == 0
            ? (StackStatus.RolledBack, skip.Count == 0 ? null : $"rolled back; kept as retained: {string.Join(", ", skip)}")
            : (StackStatus.RollbackFailed,
                $"{Sentence($"the rollback failed for {failures.Count} item(s): {string.Join("; ", failures.Select(f => $"{f.Key}: {f.Reason}"))}")} Continue-rollback tries them again (skip: [...] keeps them)");
    }

    private static async Task<(StackStatus, string?)> DeleteAsync(TaskOrchestrationContext context, Journal journal, StackRun run)
    {
        var steps = await context.CallActivityAsync<IReadOnlyList<StackStep>>(FunctionNames.PlanStackDelete, new StackUndoQuery(run.TenantId, run.Stack), RecordingRetry.Options);
        var results = await RunLevelsAsync(context, journal, run, steps, StackStepPhase.Delete, ascending: false, stopOnFailure: false);
        var failures = results.Where(r => !r.Succeeded).ToList();
        return failures.Count == 0
            ? (StackStatus.Deleted, null)
            : (StackStatus.Failed, $"the delete failed for {failures.Count} item(s): {string.Join("; ", failures.Select(f => $"{f.Key}: {f.Reason}"))}. Delete again to retry them");
    }

    /// <summary>
    /// Runs steps a dependency level at a time (lowest first, or highest first for undoing), a level's steps in parallel
    /// under the caps; the launches (or terminations) that can start at one moment go as one instance workflow. With
    /// <paramref name="stopOnFailure"/>, a failure starts nothing new; steps under way finish.
    /// </summary>
    private static async Task<List<StepResult>> RunLevelsAsync(
        TaskOrchestrationContext context, Journal journal, StackRun run, IReadOnlyList<StackStep> steps, StackStepPhase phase, bool ascending, bool stopOnFailure)
    {
        var results = new List<StepResult>();
        var levels = steps.GroupBy(s => s.Level).OrderBy(g => ascending ? g.Key : -g.Key);
        foreach (var level in levels)
        {
            var pending = level.ToList();
            var inFlight = new Dictionary<Task<IReadOnlyList<StepResult>>, IReadOnlyList<StackStep>>();
            var perComponent = new Dictionary<string, int>(StringComparer.Ordinal);
            var perZone = new Dictionary<string, int>(StringComparer.Ordinal);
            var failed = false;
            while (true)
            {
                var ready = new List<StackStep>();
                foreach (var step in failed && stopOnFailure ? [] : pending.ToList())
                {
                    if (perComponent.GetValueOrDefault(step.Component) < run.Concurrency.PerTier && perZone.GetValueOrDefault(step.Zone ?? string.Empty) < run.Concurrency.PerZone)
                    {
                        pending.Remove(step);
                        perComponent[step.Component] = perComponent.GetValueOrDefault(step.Component) + 1;
                        perZone[step.Zone ?? string.Empty] = perZone.GetValueOrDefault(step.Zone ?? string.Empty) + 1;
                        ready.Add(step);
                    }
                }

                var instances = ready.Where(s => s.Kind == StackItemKind.Instance).ToList();
                if (instances.Count > 0)
                {
                    inFlight[phase == StackStepPhase.Apply ? LaunchAllAsync(context, journal, run, instances) : TerminateAllAsync(context, journal, run, instances, phase)] = instances;
                }

                foreach (var step in ready.Except(instances))
                {
                    inFlight[ExecuteAsync(context, journal, run, step, phase)] = [step];
                }

                journal.Progress(Words(phase), results.Count, steps.Count);
                if (inFlight.Count == 0)
                {
                    break;
                }

                var done = await Task.WhenAny(inFlight.Keys);
                foreach (var step in inFlight[done])
                {
                    perComponent[step.Component]--;
                    perZone[step.Zone ?? string.Empty]--;
                }

                inFlight.Remove(done);
                var finished = await done;
                results.AddRange(finished);
                failed |= finished.Any(r => !r.Succeeded);
            }

            if (failed && stopOnFailure)
            {
                break;
            }
        }

        return results;
    }

    /// <summary>One appliance or membership step: the journal entry before, the effect, the journal entry after.</summary>
    private static async Task<IReadOnlyList<StepResult>> ExecuteAsync(TaskOrchestrationContext context, Journal journal, StackRun run, StackStep step, StackStepPhase phase)
    {
        await journal.WriteAsync([new StackJournalEntry(run.TenantId, run.Stack, run.Run, journal.Next(), step, phase, Done: false)]);
        var effect = (step.Kind, phase) switch
        {
            (StackItemKind.Appliance, StackStepPhase.Apply) => await SetApplianceAsync(context, journal, run, step),
            (StackItemKind.Appliance, _) => await RestoreApplianceAsync(context, run, step, phase),
            _ => await ChangeMembershipAsync(context, run, step, phase),
        };
        await journal.WriteAsync([After(journal, run, step, phase, effect)]);
        return [new StepResult(step.Key, effect.Succeeded, effect.Reason)];
    }

    /// <summary>
    /// Launch steps that start together: their journal entries before, in one write; their launches recorded under one
    /// operation id derived from their keys; one launch workflow for them all (one per operation, should a repeated
    /// launch answer an earlier one); their journal entries after, in one write.
    /// </summary>
    private static async Task<IReadOnlyList<StepResult>> LaunchAllAsync(TaskOrchestrationContext context, Journal journal, StackRun run, IReadOnlyList<StackStep> steps)
    {
        var operationId = StackService.LaunchOperationId(run.Stack, run.Run, steps.Select(s => s.Key));
        await journal.WriteAsync([.. steps.Select(s => new StackJournalEntry(run.TenantId, run.Stack, run.Run, journal.Next(), s, StackStepPhase.Apply, Done: false, OperationId: operationId))]);
        var starts = await context.CallActivityAsync<IReadOnlyList<StackLaunchStart>>(
            FunctionNames.PrepareStackLaunches, new StackLaunchesInput(run.TenantId, run.Stack, run.Run, operationId, steps), RecordingRetry.Options);
        var effects = new Effect[steps.Count];
        var launched = new List<(int Index, LaunchPlan Plan)>();
        for (var i = 0; i < steps.Count; i++)
        {
            if (starts[i].Plan is { } plan)
            {
                launched.Add((i, plan));
            }
            else
            {
                effects[i] = Effect.Failed($"the launch was refused: {starts[i].Refusal}");
            }
        }

        var workflows = launched.GroupBy(l => l.Plan.OperationId).Select(async operation =>
        {
            var outcomes = await context.CallSubOrchestratorAsync<IReadOnlyList<InstanceOutcome>>(
                FunctionNames.InstanceBatchLaunchOrchestrator,
                new LaunchBatch(run.TenantId, operation.Key, [.. operation.Select(l => l.Plan)]),
                new TaskOptions().WithInstanceId(OperationIds.ToInstanceId(run.TenantId, operation.Key)));
            foreach (var ((index, _), outcome) in operation.Zip(outcomes))
            {
                effects[index] = outcome.State == LifecycleState.Running
                    ? new Effect(true, false, null, outcome.HostId, outcome.Zone)
                    : new Effect(false, false, outcome.Reason ?? $"the launch ended {InstanceService.Words(outcome.State)}", outcome.HostId, outcome.Zone);
            }
        });
        await Task.WhenAll(workflows);
        await journal.WriteAsync([.. steps.Select((s, i) => After(journal, run, s, StackStepPhase.Apply, effects[i]))]);
        return [.. steps.Select((s, i) => new StepResult(s.Key, effects[i].Succeeded, effects[i].Reason))];
    }

    private static StackJournalEntry After(Journal journal, StackRun run, StackStep step, StackStepPhase phase, Effect effect) => new(
        run.TenantId, run.Stack, run.Run, journal.Next(), step, phase, Done: true, effect.Succeeded, effect.Uncertain, effect.Reason, effect.Host, effect.Zone, effect.Read, effect.Members);

    /// <summary>
    /// Termination steps that start together, as <see cref="LaunchAllAsync"/> does launches: one write of their journal
    /// entries each side, one activity moving their records under one operation id derived from their keys and phase,
    /// one action workflow. An instance already gone counts as done.
    /// </summary>
    private static async Task<IReadOnlyList<StepResult>> TerminateAllAsync(
        TaskOrchestrationContext context, Journal journal, StackRun run, IReadOnlyList<StackStep> steps, StackStepPhase phase)
    {
        var operationId = StackService.TerminateOperationId(run.Stack, run.Run, steps.Select(s => s.Key), phase);
        await journal.WriteAsync([.. steps.Select(s => new StackJournalEntry(run.TenantId, run.Stack, run.Run, journal.Next(), s, phase, Done: false, OperationId: operationId))]);
        var targets = steps.Select(s => phase == StackStepPhase.Retire ? s.Retiring : s.Instance).ToList();
        var effects = new Effect[steps.Count];
        var asked = Enumerable.Range(0, steps.Count).Where(i => targets[i] is not null).ToList();
        foreach (var i in Enumerable.Range(0, steps.Count).Except(asked))
        {
            effects[i] = Effect.Done;
        }

        var starts = asked.Count == 0
            ? []
            : await context.CallActivityAsync<IReadOnlyList<StackTerminateStart>>(
                FunctionNames.PrepareStackTerminates, new StackTerminatesInput(run.TenantId, [.. asked.Select(i => targets[i]!)], operationId), RecordingRetry.Options);
        var acting = new List<(int Index, ActionPlan Plan)>();
        foreach (var (i, start) in asked.Zip(starts))
        {
            if (start.Gone)
            {
                effects[i] = Effect.Done;
            }
            else if (start.Plan is { } plan)
            {
                acting.Add((i, plan));
            }
            else
            {
                effects[i] = Effect.Failed($"terminating '{targets[i]}' was refused: {start.Refusal}");
            }
        }

        if (acting.Count > 0)
        {
            var outcomes = await context.CallSubOrchestratorAsync<IReadOnlyList<InstanceOutcome>>(
                FunctionNames.InstanceBatchActionOrchestrator,
                new ActionBatch(run.TenantId, operationId, [.. acting.Select(a => a.Plan)]),
                new TaskOptions().WithInstanceId(OperationIds.ToInstanceId(run.TenantId, operationId)));
            foreach (var ((i, _), outcome) in acting.Zip(outcomes))
            {
                effects[i] = outcome.State == LifecycleState.Terminated ? Effect.Done : Effect.Failed($"terminating '{targets[i]}' failed: {outcome.Reason}");
            }
        }

        await journal.WriteAsync([.. steps.Select((s, i) => After(journal, run, s, phase, effects[i]) with { OperationId = operationId })]);
        return [.. steps.Select((s, i) => new StepResult(s.Key, effects[i].Succeeded, effects[i].Reason))];
    }

    /// <summary>Reads the values first (kept in the journal, so they can be put back), then sets them all in one SET.</summary>
    private static async Task<Effect> SetApplianceAsync(TaskOrchestrationContext context, Journal journal, StackRun run, StackStep step)
    {
        var target = step.Appliance!;
        var read = await CommandCalls.SendAndWaitAsync(
            context, $"{step.Key}:apply:read", run.TenantId, target.Zone, CommandKinds.SnmpGet,
            JsonSerializer.SerializeToElement(new SnmpGetPayload(target.Device, [.. target.Bindings.Select(b => b.Oid).Distinct(StringComparer.Ordinal)]), ContractsJsonContext.Default.SnmpGetPayload),
            SnmpTimeoutSeconds, null);
        var values = read.Status == CommandStatus.Succeeded ? read.Output?.Deserialize(ContractsJsonContext.Default.SnmpBindingsOutput)?.Bindings : null;
        if (values is null)
        {
            return Effect.Failed($"reading the values before the set failed: {CommandResults.Describe(read)}");
        }

        if (values.FirstOrDefault(v => v.Type is "noSuchObject" or "noSuchInstance" or "endOfMibView") is { } missing)
        {
            return Effect.Failed($"'{target.Resource}' has no {missing.Oid} ({missing.Type}); nothing was set");
        }

        await journal.WriteAsync([new StackJournalEntry(run.TenantId, run.Stack, run.Run, journal.Next(), step, StackStepPhase.Apply, Done: false, Read: values)]);
        var set = await CommandCalls.SendAndWaitAsync(
            context, $"{step.Key}:apply:set", run.TenantId, target.Zone, CommandKinds.SnmpSet,
            JsonSerializer.SerializeToElement(new SnmpSetPayload(target.Device, target.Bindings), ContractsJsonContext.Default.SnmpSetPayload), SnmpTimeoutSeconds, null);
        return set.Status == CommandStatus.Succeeded
            ? new Effect(true, false, null, null, null, values)

            // A device answers a SET all or none, so a refusal changed nothing; a timeout may have changed everything.
            : new Effect(false, set.Status == CommandStatus.TimedOut, $"the set failed: {CommandResults.Describe(set)}", null, null, values);
    }

    private static async Task<Effect> RestoreApplianceAsync(TaskOrchestrationContext context, StackRun run, StackStep step, StackStepPhase phase)
    {
        if (step.Appliance is not { Bindings.Count: > 0 } target)
        {
            return Effect.Done;
        }

        var set = await CommandCalls.SendAndWaitAsync(
            context, $"{step.Key}:{Words(phase)}:restore", run.TenantId, target.Zone, CommandKinds.SnmpSet,
            JsonSerializer.SerializeToElement(new SnmpSetPayload(target.Device, target.Bindings), ContractsJsonContext.Default.SnmpSetPayload), SnmpTimeoutSeconds, null);
        return set.Status == CommandStatus.Succeeded ? Effect.Done : Effect.Failed($"putting the values back failed: {CommandResults.Describe(set)}");
    }

    private static async Task<Effect> ChangeMembershipAsync(TaskOrchestrationContext context, StackRun run, StackStep step, StackStepPhase phase)
    {
        var outcome = await context.CallActivityAsync<StackMembershipOutcome>(
            FunctionNames.ChangeStackMembership, new StackMembershipInput(run.TenantId, run.Stack, step, phase), RecordingRetry.Options);
        return new Effect(outcome.Succeeded, false, outcome.Reason, null, null, null, outcome.Members);
    }

    private static string Words(StackRunKind kind) => kind switch
    {
        StackRunKind.ContinueRollback => "continue-rollback",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Words(StackStepPhase phase) => phase.ToString().ToLowerInvariant();

    private sealed record StepResult(string Key, bool Succeeded, string? Reason);

    private sealed record Effect(
        bool Succeeded, bool Uncertain, string? Reason, string? Host, string? Zone, IReadOnlyList<SnmpBinding>? Read = null, IReadOnlyList<ControlPlane.Pools.PoolMember>? Members = null)
    {
        public static Effect Done { get; } = new(true, false, null, null, null);

        public static Effect Failed(string reason) => new(false, false, reason, null, null);
    }

    /// <summary>The run's journal: entries numbered in the order the orchestration writes them, the same on every replay.</summary>
    private sealed class Journal(TaskOrchestrationContext context, StackRun run)
    {
        private int _sequence;

        public int Next() => _sequence++;

        /// <summary>Entries in one write; the service writes each as it would alone.</summary>
        public Task WriteAsync(IReadOnlyList<StackJournalEntry> entries) => context.CallActivityAsync(FunctionNames.JournalStackSteps, entries, RecordingRetry.Options);

        public Task NoteAsync(string phase, string message) =>
            context.CallActivityAsync(FunctionNames.NoteStackRun, new StackNote(run.TenantId, run.Stack, run.Run, Next(), phase, message), RecordingRetry.Options);

        public void Progress(string step, int done = 0, int total = 0) => context.SetCustomStatus(new StackProgress(step, done, total));
    }
}

using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Instances;
using Serverless.Functions.Commands;
using Serverless.Functions.Registration;

namespace Serverless.Functions.Instances;

/// <summary>
/// Launches under one operation (one, or a <see cref="LaunchBatch"/>), each: reserve capacity on the host placement chooses
/// (recorded before anything happens on a host) → define (<c>instance.define</c>: clone the image, define the domain) →
/// record starting → start → record running. The launches go through each step together: one activity reserves them
/// all, one sends all their commands, one records all their steps. A launch that fails at a step undoes what was done
/// for it, in reverse: <c>instance.terminate</c> removes whatever of the domain and disk exists, the reservation is given
/// back, and the instance is recorded failed with the reason; the others go on. Every command id is derived from the
/// orchestration, the step and the instance, so a host killed at any step repeats the step's commands, which the
/// agents absorb.
/// </summary>
public static class InstanceLaunchOrchestrator
{
    private const int DefineTimeoutSeconds = 300;
    private const int StartTimeoutSeconds = 60;
    private const int TerminateTimeoutSeconds = 120;

    /// <summary>One launch (<c>POST /instances</c>): its outcome is the operation's result.</summary>
    [Function(FunctionNames.InstanceLaunchOrchestrator)]
    public static async Task<InstanceOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var plan = context.GetInput<LaunchPlan>() ?? throw new InvalidOperationException("The launch orchestration was started without a plan.");
        return (await LaunchAsync(context, LaunchBatch.Of(plan)))[0];
    }

    /// <summary>Launches that start together (a stack's tier): their outcomes, in the order of the plans.</summary>
    [Function(FunctionNames.InstanceBatchLaunchOrchestrator)]
    public static Task<IReadOnlyList<InstanceOutcome>> RunBatchAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        LaunchAsync(context, context.GetInput<LaunchBatch>() ?? throw new InvalidOperationException("The batch launch orchestration was started without its launches."));

    private static async Task<IReadOnlyList<InstanceOutcome>> LaunchAsync(TaskOrchestrationContext context, LaunchBatch batch)
    {
        var plans = batch.Plans;
        var outcomes = new InstanceOutcome?[plans.Count];

        Progress(context, batch, "placing", null);
        var reserved = await context.CallActivityAsync<IReadOnlyList<ReserveOutcome>>(FunctionNames.ReserveInstances, plans, RecordingRetry.Options);
        var placed = new List<int>();
        for (var i = 0; i < plans.Count; i++)
        {
            if (reserved[i].Placed)
            {
                placed.Add(i);
            }
            else
            {
                outcomes[i] = new InstanceOutcome(plans[i].Name, LifecycleState.Failed, reserved[i].Reason, null, null);
            }
        }

        Progress(context, batch, "defining", reserved);
        var defined = await CommandCalls.SendAndWaitAllAsync(context, batch.TenantId, [.. placed.Select(i => new CommandCall(
            $"define:{plans[i].Name}", reserved[i].Zone!, CommandKinds.DefineInstance, plans[i].DefinePayload(reserved[i].HostUri!), DefineTimeoutSeconds))], null);
        var failures = new List<Failure>();
        var volumes = new InstanceVolume?[plans.Count];
        var starting = new List<int>();
        var definitions = new List<InstanceDefineOutput>();
        for (var k = 0; k < placed.Count; k++)
        {
            if ((defined[k].Status == CommandStatus.Succeeded ? defined[k].Output?.Deserialize(ContractsJsonContext.Default.InstanceDefineOutput) : null) is { } definition)
            {
                starting.Add(placed[k]);
                definitions.Add(definition);
                volumes[placed[k]] = definition.Volume;
            }
            else
            {
                failures.Add(new Failure(placed[k], $"define failed: {CommandResults.Describe(defined[k])}"));
            }
        }

        await RecordAsync(context, [.. starting.Select((i, k) => new InstanceStep(
            batch.TenantId, plans[i].Name, plans[i].OperationId, LifecycleState.Starting, null, definitions[k].State, definitions[k].Volume))]);

        Progress(context, batch, "starting", reserved);
        var started = await CommandCalls.SendAndWaitAllAsync(context, batch.TenantId, [.. starting.Select(i => new CommandCall(
            $"start:{plans[i].Name}", reserved[i].Zone!, CommandKinds.StartInstance, plans[i].StartPayload(reserved[i].HostUri!), StartTimeoutSeconds))], null);
        var running = new List<(int Index, InstanceState State)>();
        for (var k = 0; k < starting.Count; k++)
        {
            if ((started[k].Status == CommandStatus.Succeeded ? started[k].Output?.Deserialize(ContractsJsonContext.Default.InstanceStartOutput) : null) is { State: InstanceState.Running } up)
            {
                running.Add((starting[k], up.State));
            }
            else
            {
                failures.Add(new Failure(starting[k], $"start failed: {CommandResults.Describe(started[k])}"));
            }
        }

        var recorded = RecordAsync(context, [.. running.Select(r => new InstanceStep(
            batch.TenantId, plans[r.Index].Name, plans[r.Index].OperationId, LifecycleState.Running, null, r.State))]);
        var undone = UndoAsync(context, batch, reserved, volumes, failures);
        await Task.WhenAll(recorded, undone);
        foreach (var (i, _) in running)
        {
            outcomes[i] = new InstanceOutcome(plans[i].Name, LifecycleState.Running, null, reserved[i].HostId, reserved[i].Zone);
        }

        foreach (var outcome in await undone)
        {
            outcomes[outcome.Index] = outcome.Outcome;
        }

        Progress(context, batch, "done", reserved);
        return outcomes!;
    }

    /// <summary>
    /// Compensation for the launches that failed, in reverse: the host's part (domain, disk), then the reservation (only
    /// where the host's part is gone), then the record says why.
    /// </summary>
    private static async Task<IReadOnlyList<(int Index, InstanceOutcome Outcome)>> UndoAsync(
        TaskOrchestrationContext context, LaunchBatch batch, IReadOnlyList<ReserveOutcome> reserved, InstanceVolume?[] volumes, IReadOnlyList<Failure> failures)
    {
        if (failures.Count == 0)
        {
            return [];
        }

        var plans = batch.Plans;
        Progress(context, batch, "undoing", reserved);
        var undone = await CommandCalls.SendAndWaitAllAsync(context, batch.TenantId, [.. failures.Select(f => new CommandCall(
            $"undo:{plans[f.Index].Name}", reserved[f.Index].Zone!, CommandKinds.TerminateInstance,
            plans[f.Index].TerminatePayload(reserved[f.Index].HostUri!, volumes[f.Index]), TerminateTimeoutSeconds))], null);
        var notes = failures.Select((f, k) => undone[k].Status == CommandStatus.Succeeded
            ? f.Reason
            : $"{f.Reason}; cleaning the host up failed too ({CommandResults.Describe(undone[k])}): terminate the instance to try again.").ToList();
        var releases = failures.Where((_, k) => undone[k].Status == CommandStatus.Succeeded)
            .Select(f => new InstanceRelease(batch.TenantId, reserved[f.Index].HostId!, plans[f.Index].Name))
            .ToList();
        if (releases.Count > 0)
        {
            await context.CallActivityAsync(FunctionNames.ReleaseInstances, releases, RecordingRetry.Options);
        }

        await RecordAsync(context, [.. failures.Select((f, k) => new InstanceStep(batch.TenantId, plans[f.Index].Name, plans[f.Index].OperationId, LifecycleState.Failed, notes[k]))]);
        return [.. failures.Select((f, k) => (f.Index, new InstanceOutcome(plans[f.Index].Name, LifecycleState.Failed, notes[k], reserved[f.Index].HostId, reserved[f.Index].Zone)))];
    }

    private static Task RecordAsync(TaskOrchestrationContext context, IReadOnlyList<InstanceStep> steps) =>
        steps.Count == 0 ? Task.CompletedTask : context.CallActivityAsync<IReadOnlyList<bool>>(FunctionNames.RecordInstanceSteps, steps, RecordingRetry.Options);

    /// <summary>The step the launches are at; the host too when there is one launch.</summary>
    private static void Progress(TaskOrchestrationContext context, LaunchBatch batch, string step, IReadOnlyList<ReserveOutcome>? reserved) =>
        context.SetCustomStatus(new InstanceProgress(step, batch.Plans.Count == 1 ? reserved?[0].HostId : null));

    private sealed record Failure(int Index, string Reason);
}

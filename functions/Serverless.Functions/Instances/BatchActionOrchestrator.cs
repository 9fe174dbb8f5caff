using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Operations;
using Serverless.Functions.Registration;

namespace Serverless.Functions.Instances;

/// <summary>
/// A batch: targets start in order, each as its own action workflow (a sub-orchestration under the target's own
/// operation id), at most <see cref="BatchPlan.MaxConcurrency"/> at once and <see cref="BatchPlan.PerZoneConcurrency"/>
/// per zone. After failure <c>maxErrors + 1</c> (timeouts count) nothing new starts and the rest are skipped; a
/// <see cref="CancelEvent"/> stops new starts too and cancels the rest. Targets in progress always finish. The custom
/// status shows every target's status as the batch goes.
/// </summary>
public static class BatchActionOrchestrator
{
    public const string CancelEvent = "BatchCancel";

    [Function(FunctionNames.BatchActionOrchestrator)]
    public static async Task<BatchOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var plan = context.GetInput<BatchPlan>() ?? throw new InvalidOperationException("The batch orchestration was started without a plan.");
        var results = plan.Targets.Select(t => new BatchTargetResult(t.Name, BatchTargetStatus.Pending)).ToArray();
        var inFlight = new Dictionary<Task<BatchTargetResult>, int>();
        var perZone = new Dictionary<string, int>(StringComparer.Ordinal);
        using var stopWaiting = new CancellationTokenSource();
        var cancel = context.WaitForExternalEvent<object?>(CancelEvent, stopWaiting.Token);
        var next = 0;
        var failures = 0;
        var canceled = false;
        while (true)
        {
            var stopped = canceled || failures > plan.MaxErrors;
            while (!stopped && next < plan.Targets.Count && inFlight.Count < plan.MaxConcurrency)
            {
                var index = NextStartable(plan, results, perZone);
                if (index < 0)
                {
                    break;
                }

                results[index] = results[index] with { Status = BatchTargetStatus.InProgress, StartedAt = Now(context) };
                Count(perZone, plan.Targets[index].Zone, +1);
                inFlight[RunTargetAsync(context, plan, plan.Targets[index].Name)] = index;
                next++;
            }

            context.SetCustomStatus(Outcome(plan, results, canceled));
            if (inFlight.Count == 0)
            {
                break;
            }

            var finished = await Task.WhenAny(inFlight.Keys.Cast<Task>().Append(cancel));
            if (finished == cancel)
            {
                canceled = true;
                cancel = new TaskCompletionSource<object?>().Task;
                continue;
            }

            var done = (Task<BatchTargetResult>)finished;
            var at = inFlight[done];
            inFlight.Remove(done);
            Count(perZone, plan.Targets[at].Zone, -1);
            results[at] = await done with { StartedAt = results[at].StartedAt, EndedAt = Now(context) };
            if (results[at].Status is BatchTargetStatus.Failed or BatchTargetStatus.TimedOut)
            {
                failures++;
            }
        }

        for (var i = 0; i < results.Length; i++)
        {
            if (results[i].Status == BatchTargetStatus.Pending)
            {
                results[i] = canceled
                    ? results[i] with { Status = BatchTargetStatus.Canceled, Reason = "the batch was canceled before this target started." }
                    : results[i] with { Status = BatchTargetStatus.Skipped, Reason = $"{failures} target(s) failed, more than maxErrors ({plan.MaxErrors}): no new target started." };
            }
        }

        stopWaiting.Cancel();
        var outcome = Outcome(plan, results, canceled);
        context.SetCustomStatus(outcome);
        return outcome;
    }

    /// <summary>The first pending target whose zone is under its limit, or -1.</summary>
    private static int NextStartable(BatchPlan plan, BatchTargetResult[] results, Dictionary<string, int> perZone)
    {
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i].Status == BatchTargetStatus.Pending
                && (plan.PerZoneConcurrency is not { } limit || perZone.GetValueOrDefault(plan.Targets[i].Zone ?? string.Empty) < limit))
            {
                return i;
            }
        }

        return -1;
    }

    private static async Task<BatchTargetResult> RunTargetAsync(TaskOrchestrationContext context, BatchPlan plan, string name)
    {
        var start = await context.CallActivityAsync<BatchTargetStart>(FunctionNames.PrepareBatchTarget, new BatchTargetInput(plan.TenantId, name, plan.Action), RecordingRetry.Options);
        if (start.Plan is not { } action)
        {
            return start.Ended!;
        }

        var outcome = await context.CallSubOrchestratorAsync<InstanceOutcome>(
            FunctionNames.InstanceActionOrchestrator, action, new TaskOptions().WithInstanceId(OperationIds.ToInstanceId(plan.TenantId, action.OperationId)));
        var status = outcome.Reason is null ? BatchTargetStatus.Succeeded
            : outcome.Reason.Contains("timeout:", StringComparison.Ordinal) ? BatchTargetStatus.TimedOut
            : BatchTargetStatus.Failed;
        return new BatchTargetResult(name, status, outcome.Reason, action.OperationId);
    }

    private static DateTimeOffset Now(TaskOrchestrationContext context) => new(context.CurrentUtcDateTime, TimeSpan.Zero);

    private static void Count(Dictionary<string, int> perZone, string? zone, int by) => perZone[zone ?? string.Empty] = perZone.GetValueOrDefault(zone ?? string.Empty) + by;

    private static BatchOutcome Outcome(BatchPlan plan, BatchTargetResult[] results, bool canceled) => new(plan.Action, plan.MaxConcurrency, plan.MaxErrors, canceled, [.. results]);
}

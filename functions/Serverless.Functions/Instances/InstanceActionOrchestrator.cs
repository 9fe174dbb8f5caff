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
/// An action on an instance (start, stop, restart, suspend, resume, terminate), or on several under one operation
/// (<see cref="ActionBatch"/>, a stack terminating a tier): the command through each host's zone's agent group (all in
/// one send), then the state each host reports recorded (all in one activity), or, where the action failed, the state
/// before it with the reason. A terminate also gives the instance's reservation back. Each record was moved to the
/// action's state by the request, under this operation, so no other action runs on it meanwhile.
/// </summary>
public static class InstanceActionOrchestrator
{
    /// <summary>One action: its outcome is the operation's result.</summary>
    [Function(FunctionNames.InstanceActionOrchestrator)]
    public static async Task<InstanceOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var plan = context.GetInput<ActionPlan>() ?? throw new InvalidOperationException("The instance action orchestration was started without a plan.");
        return (await ActAsync(context, new ActionBatch(plan.TenantId, plan.OperationId, [plan])))[0];
    }

    /// <summary>Actions under one operation: their outcomes, in the order of the plans.</summary>
    [Function(FunctionNames.InstanceBatchActionOrchestrator)]
    public static Task<IReadOnlyList<InstanceOutcome>> RunBatchAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        ActAsync(context, context.GetInput<ActionBatch>() ?? throw new InvalidOperationException("The batch action orchestration was started without its actions."));

    private static async Task<IReadOnlyList<InstanceOutcome>> ActAsync(TaskOrchestrationContext context, ActionBatch batch)
    {
        var plans = batch.Plans;
        context.SetCustomStatus(new InstanceProgress(plans.Count == 1 ? InstanceService.Words(plans[0].Action) : "acting", plans.Count == 1 ? plans[0].HostId : null));

        // A launch that failed before it was placed left nothing on a host: terminating it is only the record.
        var onHost = plans.Where(p => p.OnHost).ToList();
        var results = await CommandCalls.SendAndWaitAllAsync(context, batch.TenantId, [.. onHost.Select(p =>
        {
            var (kind, payload) = p.Command();
            return new CommandCall($"{InstanceService.Words(p.Action)}:{p.Name}", p.Zone!, kind, payload, p.TimeoutSeconds);
        })], null);
        var answers = onHost.Zip(results).ToDictionary(a => a.First.Name, a => a.Second, StringComparer.Ordinal);
        var ends = plans.Select(p =>
        {
            if (!answers.TryGetValue(p.Name, out var result))
            {
                return new End(p, true, null, null);
            }

            var succeeded = result.Status == CommandStatus.Succeeded;
            return new End(p, succeeded, succeeded ? null : $"{InstanceService.Words(p.Action)} failed: {CommandResults.Describe(result)}", succeeded ? ObservedState(p.Action, result) : null);
        }).ToList();

        var releases = ends.Where(e => e.Succeeded && e.Plan.Action == InstanceAction.Terminate && e.Plan.HostId is not null)
            .Select(e => new InstanceRelease(batch.TenantId, e.Plan.HostId!, e.Plan.Name))
            .ToList();
        if (releases.Count > 0)
        {
            await context.CallActivityAsync(FunctionNames.ReleaseInstances, releases, RecordingRetry.Options);
        }

        var steps = ends.Select(e => new InstanceStep(batch.TenantId, e.Plan.Name, e.Plan.OperationId, e.Succeeded ? e.Plan.Settled : e.Plan.Prior, e.Reason, e.Observed, Done: true)).ToList();
        await context.CallActivityAsync<IReadOnlyList<bool>>(FunctionNames.RecordInstanceSteps, steps, RecordingRetry.Options);

        context.SetCustomStatus(new InstanceProgress("done", plans.Count == 1 ? plans[0].HostId : null));
        return [.. ends.Select((e, i) => new InstanceOutcome(e.Plan.Name, steps[i].State, e.Reason, e.Plan.HostId, e.Plan.Zone))];
    }

    private static InstanceState? ObservedState(InstanceAction action, CommandResult result) => action switch
    {
        InstanceAction.Start => result.Output?.Deserialize(ContractsJsonContext.Default.InstanceStartOutput)?.State,
        InstanceAction.Stop => result.Output?.Deserialize(ContractsJsonContext.Default.InstanceStopOutput)?.State,
        InstanceAction.Terminate => null,
        _ => result.Output?.Deserialize(ContractsJsonContext.Default.InstanceActionOutput)?.State,
    };

    private sealed record End(ActionPlan Plan, bool Succeeded, string? Reason, InstanceState? Observed);
}

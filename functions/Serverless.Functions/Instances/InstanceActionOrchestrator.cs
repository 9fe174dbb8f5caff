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
/// One action on an instance (start, stop, restart, suspend, resume, terminate): the command through the host's zone's
/// agent group, then the state the host reports recorded, or, when the action failed, the state before it with the
/// reason. A terminate also gives the instance's reservation back. The record was moved to the action's state by the
/// request, under this operation, so no other action runs meanwhile.
/// </summary>
public static class InstanceActionOrchestrator
{
    [Function(FunctionNames.InstanceActionOrchestrator)]
    public static async Task<InstanceOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var plan = context.GetInput<ActionPlan>() ?? throw new InvalidOperationException("The instance action orchestration was started without a plan.");
        context.SetCustomStatus(new InstanceProgress(InstanceService.Words(plan.Action), plan.HostId));

        // A launch that failed before it was placed left nothing on a host: terminating it is only the record.
        var succeeded = !plan.OnHost;
        string? reason = null;
        InstanceState? observed = null;
        if (plan.OnHost)
        {
            var (kind, payload) = plan.Command();
            var result = await CommandCalls.SendAndWaitAsync(context, InstanceService.Words(plan.Action), plan.TenantId, plan.Zone!, kind, payload, plan.TimeoutSeconds, null);
            succeeded = result.Status == CommandStatus.Succeeded;
            observed = succeeded ? ObservedState(plan.Action, result) : null;
            reason = succeeded ? null : $"{InstanceService.Words(plan.Action)} failed: {CommandResults.Describe(result)}";
        }

        if (succeeded && plan.Action == InstanceAction.Terminate && plan.HostId is { } host)
        {
            await context.CallActivityAsync(FunctionNames.ReleaseInstance, new InstanceRelease(plan.TenantId, host, plan.Name), RecordingRetry.Options);
        }

        var state = succeeded ? plan.Settled : plan.Prior;
        await context.CallActivityAsync<bool>(
            FunctionNames.RecordInstanceStep, new InstanceStep(plan.TenantId, plan.Name, plan.OperationId, state, reason, observed, Done: true), RecordingRetry.Options);
        context.SetCustomStatus(new InstanceProgress("done", plan.HostId));
        return new InstanceOutcome(plan.Name, state, reason, plan.HostId, plan.Zone);
    }

    private static InstanceState? ObservedState(InstanceAction action, CommandResult result) => action switch
    {
        InstanceAction.Start => result.Output?.Deserialize(ContractsJsonContext.Default.InstanceStartOutput)?.State,
        InstanceAction.Stop => result.Output?.Deserialize(ContractsJsonContext.Default.InstanceStopOutput)?.State,
        InstanceAction.Terminate => null,
        _ => result.Output?.Deserialize(ContractsJsonContext.Default.InstanceActionOutput)?.State,
    };
}

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
/// A launch: reserve capacity on the host placement chooses (recorded before anything happens on a host) → define
/// (<c>instance.define</c>: clone the image, define the domain) → record starting → start → record running. A step that
/// fails undoes what was done, in reverse: <c>instance.terminate</c> removes whatever of the domain and disk exists, the
/// reservation is given back, and the instance is recorded failed with the reason. Every command id is derived from the
/// orchestration, so a host killed at any step repeats the step's command, which the agent absorbs.
/// </summary>
public static class InstanceLaunchOrchestrator
{
    private const int DefineTimeoutSeconds = 300;
    private const int StartTimeoutSeconds = 60;
    private const int TerminateTimeoutSeconds = 120;

    [Function(FunctionNames.InstanceLaunchOrchestrator)]
    public static async Task<InstanceOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var plan = context.GetInput<LaunchPlan>() ?? throw new InvalidOperationException("The launch orchestration was started without a plan.");

        context.SetCustomStatus(new InstanceProgress("placing"));
        var reserved = await context.CallActivityAsync<ReserveOutcome>(FunctionNames.ReserveInstance, plan, RecordingRetry.Options);
        if (!reserved.Placed)
        {
            return new InstanceOutcome(plan.Name, LifecycleState.Failed, reserved.Reason, null, null);
        }

        context.SetCustomStatus(new InstanceProgress("defining", reserved.HostId));
        var defined = await CommandCalls.SendAndWaitAsync(
            context, "define", plan.TenantId, reserved.Zone!, CommandKinds.DefineInstance, plan.DefinePayload(reserved.HostUri!), DefineTimeoutSeconds, null);
        var definition = defined.Status == CommandStatus.Succeeded ? defined.Output?.Deserialize(ContractsJsonContext.Default.InstanceDefineOutput) : null;
        if (definition is null)
        {
            return await UndoAsync(context, plan, reserved, null, $"define failed: {CommandResults.Describe(defined)}");
        }

        await context.CallActivityAsync<bool>(FunctionNames.RecordInstanceStep, new InstanceStep(plan.TenantId, plan.Name, plan.OperationId, LifecycleState.Starting, null, definition.State, definition.Volume), RecordingRetry.Options);

        context.SetCustomStatus(new InstanceProgress("starting", reserved.HostId));
        var started = await CommandCalls.SendAndWaitAsync(
            context, "start", plan.TenantId, reserved.Zone!, CommandKinds.StartInstance, plan.StartPayload(reserved.HostUri!), StartTimeoutSeconds, null);
        var running = started.Status == CommandStatus.Succeeded ? started.Output?.Deserialize(ContractsJsonContext.Default.InstanceStartOutput) : null;
        if (running is not { State: InstanceState.Running })
        {
            return await UndoAsync(context, plan, reserved, definition.Volume, $"start failed: {CommandResults.Describe(started)}");
        }

        await context.CallActivityAsync<bool>(FunctionNames.RecordInstanceStep, new InstanceStep(plan.TenantId, plan.Name, plan.OperationId, LifecycleState.Running, null, running.State), RecordingRetry.Options);
        context.SetCustomStatus(new InstanceProgress("done", reserved.HostId));
        return new InstanceOutcome(plan.Name, LifecycleState.Running, null, reserved.HostId, reserved.Zone);
    }

    /// <summary>Compensation, in reverse: the host's part (domain, disk), then the reservation, then the record says why.</summary>
    private static async Task<InstanceOutcome> UndoAsync(TaskOrchestrationContext context, LaunchPlan plan, ReserveOutcome reserved, InstanceVolume? volume, string reason)
    {
        context.SetCustomStatus(new InstanceProgress("undoing", reserved.HostId));
        var undone = await CommandCalls.SendAndWaitAsync(
            context, "undo", plan.TenantId, reserved.Zone!, CommandKinds.TerminateInstance, plan.TerminatePayload(reserved.HostUri!, volume), TerminateTimeoutSeconds, null);
        var note = undone.Status == CommandStatus.Succeeded
            ? reason
            : $"{reason}; cleaning the host up failed too ({CommandResults.Describe(undone)}): terminate the instance to try again.";
        if (undone.Status == CommandStatus.Succeeded)
        {
            await context.CallActivityAsync(FunctionNames.ReleaseInstance, new InstanceRelease(plan.TenantId, reserved.HostId!, plan.Name), RecordingRetry.Options);
        }

        await context.CallActivityAsync<bool>(FunctionNames.RecordInstanceStep, new InstanceStep(plan.TenantId, plan.Name, plan.OperationId, LifecycleState.Failed, note), RecordingRetry.Options);
        context.SetCustomStatus(new InstanceProgress("done", reserved.HostId));
        return new InstanceOutcome(plan.Name, LifecycleState.Failed, note, reserved.HostId, reserved.Zone);
    }
}

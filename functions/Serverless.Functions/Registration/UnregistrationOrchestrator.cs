using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Registration;
using Serverless.Functions.Commands;

namespace Serverless.Functions.Registration;

/// <summary>
/// Unregistration: mark the resource Unregistering if nobody changed it since the request was checked → ask a host
/// what it runs (<c>instance.list</c>; unforced, anything running refuses, forced, everything running is drained) → take the pool
/// members on it out of service (a forced unregistration; the profile's deactivation, or a stop) and record them
/// Inactive → stop the instances it drains, all at once, through the zone's agent group (graceful shutdown, destroyed
/// after the grace period) → if anything is still up, put the resource back to Registered with the reasons → otherwise send
/// <c>resource.uninstall</c> so the agent lets go of what it holds → record Unregistered. An agent that cannot confirm the
/// uninstall does not keep the resource registered: the control plane simply stops using it, and says so.
/// Deterministic: all I/O happens in activities.
/// </summary>
public static class UnregistrationOrchestrator
{
    private const int UninstallTimeoutSeconds = 30;
    private const int ListTimeoutSeconds = 30;

    [Function(FunctionNames.UnregistrationOrchestrator)]
    public static async Task<UnregistrationOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var plan = context.GetInput<UnregistrationPlan>()
            ?? throw new InvalidOperationException("The unregistration orchestration was started without a plan.");
        var operationId = OperationIds.FromInstanceId(context.InstanceId);

        context.SetCustomStatus(new RegistrationProgress("recording"));
        if (!await context.CallActivityAsync<bool>(FunctionNames.RecordUnregistering, new UnregistrationStepInput(plan, operationId), RecordingRetry.Options))
        {
            return UnregistrationOutcome.Superseded(plan);
        }

        // The plan was checked against records; the host itself says what runs on it now (a record can be stale).
        string? hostNote = null;
        if (plan.Kind == ResourceKind.VirtualizationHost)
        {
            context.SetCustomStatus(new RegistrationProgress("checking"));
            var report = await CommandCalls.SendAndWaitAsync(
                context, "list", plan.TenantId, plan.Zone, CommandKinds.ListInstances, plan.ListPayload(), ListTimeoutSeconds, null);
            var check = UnregistrationOutcome.CheckHost(plan, report);
            if (check.Reported is { } reported)
            {
                await context.CallActivityAsync(FunctionNames.RecordHostInstances, new RecordHostInstancesInput(plan, reported), RecordingRetry.Options);
            }

            if (check.Refusal is { } inUse)
            {
                await context.CallActivityAsync(FunctionNames.RecordUnregistrationOutcome, new RecordUnregistrationOutcomeInput(plan, operationId, inUse), RecordingRetry.Options);
                return inUse;
            }

            plan = check.Plan;
            hostNote = check.Note;
        }

        context.SetCustomStatus(new RegistrationProgress("draining"));
        var members = plan.Members ?? [];
        var deactivations = await Task.WhenAll(members.Select((member, i) =>
        {
            var (kind, payload) = plan.MemberDrainCommand(member);
            return CommandCalls.SendAndWaitAsync(context, $"member-{i}", plan.TenantId, plan.Zone, kind, payload, plan.StopTimeoutSeconds, null);
        }));
        if (UnregistrationOutcome.FromMemberDrain(plan, deactivations) is { } membersUp)
        {
            await context.CallActivityAsync(FunctionNames.RecordUnregistrationOutcome, new RecordUnregistrationOutcomeInput(plan, operationId, membersUp), RecordingRetry.Options);
            return membersUp;
        }

        if (members.Count > 0)
        {
            await context.CallActivityAsync(FunctionNames.RecordPoolMembersDrained, plan, RecordingRetry.Options);
        }

        var stops = await Task.WhenAll(plan.Drain.Select((instance, i) => CommandCalls.SendAndWaitAsync(
            context, $"stop-{i}", plan.TenantId, plan.Zone, CommandKinds.StopInstance, plan.StopPayload(instance), plan.StopTimeoutSeconds, null)));
        var refusal = UnregistrationOutcome.FromDrain(plan, stops, out var stopped);
        foreach (var instance in stopped)
        {
            await context.CallActivityAsync(FunctionNames.RecordInstanceStopped, new RecordInstanceStoppedInput(plan, instance), RecordingRetry.Options);
        }

        var outcome = refusal;
        if (outcome is null)
        {
            context.SetCustomStatus(new RegistrationProgress("uninstalling"));
            var uninstall = await CommandCalls.SendAndWaitAsync(
                context, "uninstall", plan.TenantId, plan.Zone, CommandKinds.UninstallResource, plan.UninstallPayload(), UninstallTimeoutSeconds, null);
            outcome = UnregistrationOutcome.Completed(stopped, uninstall, members.Count);
        }

        if (hostNote is not null)
        {
            outcome = outcome with { Notes = [hostNote, .. outcome.Notes] };
        }

        await context.CallActivityAsync(FunctionNames.RecordUnregistrationOutcome, new RecordUnregistrationOutcomeInput(plan, operationId, outcome), RecordingRetry.Options);
        context.SetCustomStatus(new RegistrationProgress("done"));
        return outcome;
    }
}

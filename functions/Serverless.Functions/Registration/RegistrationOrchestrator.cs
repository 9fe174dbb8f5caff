using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Contracts;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Registration;

namespace Serverless.Functions.Registration;

/// <summary>
/// Registration: record the request → ask the zone's agent to verify the resource → wait for its result with a
/// timeout → decide → record Registered or Rejected. Deterministic: all I/O happens in activities.
/// </summary>
public static class RegistrationOrchestrator
{
    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5,
        firstRetryInterval: TimeSpan.FromSeconds(1),
        backoffCoefficient: 2.0,
        maxRetryInterval: TimeSpan.FromSeconds(30)));

    [Function(FunctionNames.RegistrationOrchestrator)]
    public static async Task<RegistrationDecision> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var plan = context.GetInput<RegistrationPlan>()
            ?? throw new InvalidOperationException("The registration orchestration was started without a plan.");

        context.SetCustomStatus(new RegistrationProgress("recording"));
        await context.CallActivityAsync(
            FunctionNames.RecordRegistrationRequested, new RecordRegistrationRequestedInput(plan, OperationIds.FromInstanceId(context.InstanceId)), Retry);

        context.SetCustomStatus(new RegistrationProgress("verifying"));
        var commandId = await context.CallActivityAsync<string>(
            FunctionNames.RequestCapabilityVerification, new RequestCapabilityVerificationInput(plan, context.InstanceId), Retry);
        var result = await WaitForVerificationAsync(context, commandId, plan.VerificationTimeoutSeconds);

        var decision = RegistrationDecision.Decide(result, plan.VerificationTimeoutSeconds);
        await context.CallActivityAsync(FunctionNames.RecordRegistrationDecision, new RecordRegistrationDecisionInput(plan, decision), Retry);
        context.SetCustomStatus(new RegistrationProgress("done"));
        return decision;
    }

    /// <summary>The result for this command, or null when the deadline passes first. Results of other commands are ignored.</summary>
    private static async Task<CapabilityVerificationResult?> WaitForVerificationAsync(TaskOrchestrationContext context, string commandId, int timeoutSeconds)
    {
        using var timerCancellation = new CancellationTokenSource();
        var deadline = context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(timeoutSeconds), timerCancellation.Token);
        while (true)
        {
            var received = context.WaitForExternalEvent<CapabilityVerificationResult>(CapabilityVerificationResult.EventName);
            if (await Task.WhenAny(received, deadline) == deadline)
            {
                return null;
            }

            var result = await received;
            if (result.CommandId == commandId)
            {
                // Cancel synchronously: the orchestration runs on its own single-threaded scheduler. An uncancelled
                // timer would keep the orchestration open until the deadline.
                timerCancellation.Cancel();
                return result;
            }
        }
    }
}

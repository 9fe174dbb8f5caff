using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Registration;
using Serverless.Functions.Commands;

namespace Serverless.Functions.Registration;

/// <summary>
/// Registration: record the request → send <c>capabilities.verify</c> through the zone's agent group and wait for the
/// result with a timeout → decide against the requested categories → record Registered or Rejected. A verification
/// its agent was interrupted in is tried again with backoff (sending itself is retried by the activity's policy);
/// every path, a command that could not be sent included, ends in a decision. Deterministic: all I/O happens in
/// activities.
/// </summary>
public static class RegistrationOrchestrator
{
    private const int VerificationAttempts = 3;

    [Function(FunctionNames.RegistrationOrchestrator)]
    public static async Task<RegistrationDecision> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var plan = context.GetInput<RegistrationPlan>()
            ?? throw new InvalidOperationException("The registration orchestration was started without a plan.");

        context.SetCustomStatus(new RegistrationProgress("recording"));
        await context.CallActivityAsync(
            FunctionNames.RecordRegistrationRequested, new RecordRegistrationRequestedInput(plan, OperationIds.FromInstanceId(context.InstanceId)), RecordingRetry.Options);

        context.SetCustomStatus(new RegistrationProgress("verifying"));
        var result = await VerifyAsync(context, plan);

        var decision = RegistrationDecision.Decide(plan, result);
        await context.CallActivityAsync(FunctionNames.RecordRegistrationDecision, new RecordRegistrationDecisionInput(plan, decision), RecordingRetry.Options);
        context.SetCustomStatus(new RegistrationProgress("done"));
        return decision;
    }

    private static async Task<CommandResult> VerifyAsync(TaskOrchestrationContext context, RegistrationPlan plan)
    {
        var payload = plan.VerificationPayload();
        for (var attempt = 1; ; attempt++)
        {
            var result = await CommandCalls.SendAndWaitAsync(
                context, $"verify-{attempt}", plan.TenantId, plan.Zone, CommandKinds.VerifyCapabilities, payload, plan.VerificationTimeoutSeconds, null);

            // An agent interrupted mid-verification is transient; an answer, a refusal, a timeout or an unsent command is final.
            var transient = result.Status == CommandStatus.Failed && result.Error?.Kind == CommandErrorKind.Internal && result.AgentId.Length > 0;
            if (!transient || attempt == VerificationAttempts)
            {
                return result;
            }

            await context.CreateTimer(TimeSpan.FromSeconds(5 * attempt), CancellationToken.None);
        }
    }
}

using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Registration;
using Serverless.Functions.Commands;

namespace Serverless.Functions.Registration;

/// <summary>
/// Registration, once <see cref="RegistrationStart"/> has recorded the request and sent the first
/// <c>capabilities.verify</c>: wait for its result (sending it again if none came within a slice, in case the starter
/// died before sending) with a timeout → decide against the requested categories → record Registered or
/// Rejected. A verification
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

        context.SetCustomStatus(new RegistrationProgress("verifying"));
        var result = await VerifyAsync(context, plan);

        var decision = RegistrationDecision.Decide(plan, result);
        await context.CallActivityAsync(
            FunctionNames.RecordRegistrationDecision, new RecordRegistrationDecisionInput(plan, OperationIds.FromInstanceId(context.InstanceId), decision), RecordingRetry.Options);
        context.SetCustomStatus(new RegistrationProgress("done"));
        return decision;
    }

    /// <summary>The command step of each verification attempt; the first is also what <see cref="RegistrationStart"/> sends.</summary>
    public static string VerificationStep(int attempt) => $"verify-{attempt}";

    private static async Task<CommandResult> VerifyAsync(TaskOrchestrationContext context, RegistrationPlan plan)
    {
        var payload = plan.VerificationPayload();
        for (var attempt = 1; ; attempt++)
        {
            // RegistrationStart sent the first attempt's command with the request.
            var result = attempt == 1
                ? await CommandCalls.WaitForSentAheadAsync(context, VerificationStep(attempt), plan.TenantId, plan.Zone, CommandKinds.VerifyCapabilities, payload, plan.VerificationTimeoutSeconds, null)
                : await CommandCalls.SendAndWaitAsync(context, VerificationStep(attempt), plan.TenantId, plan.Zone, CommandKinds.VerifyCapabilities, payload, plan.VerificationTimeoutSeconds, null);

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

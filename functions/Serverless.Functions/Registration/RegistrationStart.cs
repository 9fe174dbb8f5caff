using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Registration;
using Serverless.Functions.Commands;

namespace Serverless.Functions.Registration;

/// <summary>
/// Starts a registration from the request: schedules its orchestration, records the resource as Verifying, and sends
/// the first <c>capabilities.verify</c> right away, so the agent works while the orchestration's first episode is
/// dispatched (each episode and activity costs storage round trips). The orchestration sends the same command again
/// (one command id: duplicate detection and the agent's ledger absorb it) and gets the agent's answer at once if it
/// is already in. Scheduling first means no resource is ever left Verifying without an orchestration: if this host
/// dies before recording, the orchestration writes the whole record with its decision.
/// </summary>
public sealed class RegistrationStart(RegistrationService registrations, CommandService commands, TimeProvider clock, ILogger<RegistrationStart> logger)
{
    public async Task<string> StartAsync(DurableTaskClient durableClient, RegistrationPlan plan, CancellationToken cancellationToken)
    {
        var operationId = OperationIds.NewOperationId();
        var instanceId = OperationIds.ToInstanceId(plan.TenantId, operationId);
        await durableClient.ScheduleNewOrchestrationInstanceAsync(
            FunctionNames.RegistrationOrchestrator, plan, new StartOrchestrationOptions(instanceId), cancellationToken);
        await registrations.RecordRequestedAsync(plan, operationId, cancellationToken);

        var verification = CommandCalls.Request(
            instanceId, RegistrationOrchestrator.VerificationStep(1), clock.GetUtcNow(), plan.TenantId, plan.Zone, CommandKinds.VerifyCapabilities,
            plan.VerificationPayload(), plan.VerificationTimeoutSeconds, null);
        try
        {
            // An answer at once (the group is known to be disconnected) goes straight to the orchestration, which would
            // otherwise only learn it from its own send a slice later.
            if (await commands.SendAsync(verification, cancellationToken) is { } answered)
            {
                await durableClient.RaiseEventAsync(instanceId, verification.Correlation.EventName!, answered, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Only a head start is lost: the orchestration sends the command itself, with retries.
            Logs.EarlyVerificationNotSent(logger, verification.CommandId, plan.ResourceId, exception.Message);
        }

        return operationId;
    }
}

using Microsoft.Azure.Functions.Worker;
using Serverless.ControlPlane.Registration;

namespace Serverless.Functions.Registration;

/// <summary>The side effects of the unregistration workflow; each calls one service method and is safe to retry.</summary>
public sealed class UnregistrationActivities(UnregistrationService unregistrations)
{
    [Function(FunctionNames.RecordUnregistering)]
    public Task<bool> RecordUnregisteringAsync([ActivityTrigger] UnregistrationStepInput input, CancellationToken cancellationToken) =>
        unregistrations.RecordUnregisteringAsync(input.Plan, input.OperationId, cancellationToken);

    [Function(FunctionNames.RecordHostInstances)]
    public Task RecordHostInstancesAsync([ActivityTrigger] RecordHostInstancesInput input, CancellationToken cancellationToken) =>
        unregistrations.RecordHostInstancesAsync(input.Plan, input.Reported, cancellationToken);

    [Function(FunctionNames.RecordInstanceStopped)]
    public Task RecordInstanceStoppedAsync([ActivityTrigger] RecordInstanceStoppedInput input, CancellationToken cancellationToken) =>
        unregistrations.RecordInstanceStoppedAsync(input.Plan, input.Stopped, cancellationToken);

    [Function(FunctionNames.RecordPoolMembersDrained)]
    public Task RecordPoolMembersDrainedAsync([ActivityTrigger] UnregistrationPlan plan, CancellationToken cancellationToken) =>
        unregistrations.RecordMembersDrainedAsync(plan, cancellationToken);

    [Function(FunctionNames.RecordUnregistrationOutcome)]
    public Task RecordOutcomeAsync([ActivityTrigger] RecordUnregistrationOutcomeInput input, CancellationToken cancellationToken) =>
        unregistrations.RecordOutcomeAsync(input.Plan, input.OperationId, input.Outcome, cancellationToken);
}

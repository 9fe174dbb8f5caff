using Microsoft.Azure.Functions.Worker;
using Serverless.ControlPlane.Instances;

namespace Serverless.Functions.Instances;

/// <summary>The side effects of the instance workflows; each calls one service method and is safe to repeat.</summary>
public sealed class InstanceActivities(InstanceService instances, BatchActionService batches)
{
    [Function(FunctionNames.ReserveInstance)]
    public Task<ReserveOutcome> ReserveAsync([ActivityTrigger] LaunchPlan plan, CancellationToken cancellationToken) =>
        instances.ReserveAsync(plan, cancellationToken);

    [Function(FunctionNames.RecordInstanceStep)]
    public Task<bool> RecordStepAsync([ActivityTrigger] InstanceStep step, CancellationToken cancellationToken) =>
        instances.RecordStepAsync(step.TenantId, step.Name, step.OperationId, step.State, step.Reason, step.Observed, step.Volume, step.Done, cancellationToken);

    [Function(FunctionNames.PrepareBatchTarget)]
    public Task<BatchTargetStart> PrepareBatchTargetAsync([ActivityTrigger] BatchTargetInput input, CancellationToken cancellationToken) =>
        batches.PrepareTargetAsync(input.TenantId, input.Name, input.Action, cancellationToken);

    [Function(FunctionNames.RecordAdoption)]
    public Task<InstanceOutcome> RecordAdoptionAsync([ActivityTrigger] AdoptionResult result, CancellationToken cancellationToken) =>
        instances.RecordAdoptionAsync(result, cancellationToken);

    [Function(FunctionNames.ReleaseInstance)]
    public Task ReleaseAsync([ActivityTrigger] InstanceRelease release, CancellationToken cancellationToken) =>
        instances.ReleaseAsync(release.TenantId, release.HostId, release.Name, cancellationToken);
}

using Microsoft.Azure.Functions.Worker;
using Serverless.ControlPlane.Instances;

namespace Serverless.Functions.Instances;

/// <summary>The side effects of the instance workflows; each calls one service method and is safe to repeat.</summary>
public sealed class InstanceActivities(InstanceService instances, BatchActionService batches)
{
    [Function(FunctionNames.ReserveInstances)]
    public async Task<IReadOnlyList<ReserveOutcome>> ReserveAsync([ActivityTrigger] IReadOnlyList<LaunchPlan> plans, CancellationToken cancellationToken) =>
        await Task.WhenAll(plans.Select(p => instances.ReserveAsync(p, cancellationToken)));

    [Function(FunctionNames.RecordInstanceSteps)]
    public Task<IReadOnlyList<bool>> RecordStepsAsync([ActivityTrigger] IReadOnlyList<InstanceStep> steps, CancellationToken cancellationToken) =>
        instances.RecordStepsAsync(steps, cancellationToken);

    [Function(FunctionNames.PrepareBatchTarget)]
    public Task<BatchTargetStart> PrepareBatchTargetAsync([ActivityTrigger] BatchTargetInput input, CancellationToken cancellationToken) =>
        batches.PrepareTargetAsync(input.TenantId, input.Name, input.Action, cancellationToken);

    [Function(FunctionNames.RecordAdoption)]
    public Task<InstanceOutcome> RecordAdoptionAsync([ActivityTrigger] AdoptionResult result, CancellationToken cancellationToken) =>
        instances.RecordAdoptionAsync(result, cancellationToken);

    /// <summary>Gives many reservations back, with one write per host.</summary>
    [Function(FunctionNames.ReleaseInstances)]
    public Task ReleaseManyAsync([ActivityTrigger] IReadOnlyList<InstanceRelease> releases, CancellationToken cancellationToken) =>
        Task.WhenAll(releases.GroupBy(r => (r.TenantId, r.HostId)).Select(host =>
            instances.ReleaseAsync(host.Key.TenantId, host.Key.HostId, [.. host.Select(r => r.Name)], cancellationToken)));
}

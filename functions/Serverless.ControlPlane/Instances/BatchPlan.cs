namespace Serverless.ControlPlane.Instances;

/// <summary>A checked batch: the input of the batch orchestration.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="OperationId">The batch's operation.</param>
/// <param name="Action">What to do to each target.</param>
/// <param name="Targets">Each target's name and zone (for the per-zone limit), in the order they start.</param>
/// <param name="MaxConcurrency">Targets at once.</param>
/// <param name="MaxErrors">Failures tolerated; the next failure stops the batch from starting more.</param>
/// <param name="PerZoneConcurrency">Targets at once per zone, when limited.</param>
public sealed record BatchPlan(
    string TenantId, string OperationId, InstanceAction Action, IReadOnlyList<BatchTarget> Targets, int MaxConcurrency, int MaxErrors, int? PerZoneConcurrency);

namespace Serverless.ControlPlane.Instances;

/// <summary>How one target of a batch ended (or stands, while the batch runs).</summary>
/// <param name="Name">The instance.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Reason">Why it failed, timed out, was skipped or canceled.</param>
/// <param name="OperationId">The target's own action operation, once started (also readable at <c>/api/v1/operations/{id}</c>).</param>
/// <param name="StartedAt">When the batch started it (the workflow's clock).</param>
/// <param name="EndedAt">When the batch saw it end.</param>
public sealed record BatchTargetResult(
    string Name, BatchTargetStatus Status, string? Reason = null, string? OperationId = null, DateTimeOffset? StartedAt = null, DateTimeOffset? EndedAt = null);

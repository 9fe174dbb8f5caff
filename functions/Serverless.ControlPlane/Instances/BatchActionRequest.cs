namespace Serverless.ControlPlane.Instances;

/// <summary>The body of <c>POST /api/v1/instances/actions</c>.</summary>
/// <param name="Action">What to do to each target.</param>
/// <param name="Targets">Which instances.</param>
/// <param name="MaxConcurrency">How many targets at once: a number (<c>"10"</c>) or a share of the targets (<c>"10%"</c>, rounded up, at least 1).</param>
/// <param name="MaxErrors">How many failures are tolerated: a number or a share (rounded down). The batch stops starting targets after failure MaxErrors + 1.</param>
/// <param name="PerZoneConcurrency">At most this many targets at once in any one zone.</param>
public sealed record BatchActionRequest(InstanceAction? Action, BatchTargets? Targets, string? MaxConcurrency, string? MaxErrors, int? PerZoneConcurrency);

namespace Serverless.ControlPlane.Instances;

/// <summary>A batch's result (and, while it runs, its progress): counts and every target's status.</summary>
public sealed record BatchOutcome(InstanceAction Action, int MaxConcurrency, int MaxErrors, bool Canceled, IReadOnlyList<BatchTargetResult> Targets)
{
    public int Succeeded => Targets.Count(t => t.Status == BatchTargetStatus.Succeeded);

    public int Failed => Targets.Count(t => t.Status is BatchTargetStatus.Failed or BatchTargetStatus.TimedOut);

    public int Skipped => Targets.Count(t => t.Status == BatchTargetStatus.Skipped);
}

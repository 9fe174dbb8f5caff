namespace Serverless.ControlPlane.Instances;

/// <summary>A batch target checked: the action to run, or how it already ended (in effect: succeeded; not possible: failed).</summary>
public sealed record BatchTargetStart(ActionPlan? Plan, BatchTargetResult? Ended);

namespace Serverless.ControlPlane.Instances;

/// <summary>An accepted action: the instance as recorded, and the work to do; no plan when the action was already in effect.</summary>
public sealed record ActionStart(ManagedInstance Instance, ActionPlan? Plan);

namespace Serverless.ControlPlane.Instances;

/// <summary>
/// The batch action orchestration's input: actions under one operation, which owns each of their records (a stack
/// terminating the instances of a tier that end together).
/// </summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="OperationId">The operation every plan's record is under.</param>
/// <param name="Plans">The actions, each on a different instance.</param>
public sealed record ActionBatch(string TenantId, string OperationId, IReadOnlyList<ActionPlan> Plans);

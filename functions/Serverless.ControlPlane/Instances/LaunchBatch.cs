namespace Serverless.ControlPlane.Instances;

/// <summary>
/// The launch orchestration's input: launches under one operation, which owns each of their records. One for
/// <c>POST /instances</c>; the items of a stack's tier that start together, so that fifty launches cost a handful of
/// workflow steps rather than fifty times as many.
/// </summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="OperationId">The operation every plan's record is under.</param>
/// <param name="Plans">The launches, each of a different instance.</param>
public sealed record LaunchBatch(string TenantId, string OperationId, IReadOnlyList<LaunchPlan> Plans)
{
    public static LaunchBatch Of(LaunchPlan plan) => new(plan.TenantId, plan.OperationId, [plan]);
}

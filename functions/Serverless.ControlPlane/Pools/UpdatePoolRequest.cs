namespace Serverless.ControlPlane.Pools;

/// <summary>The body of <c>PUT /api/v1/pools/{poolId}</c>: the whole new definition; members kept by id keep their state.</summary>
public sealed record UpdatePoolRequest(ServiceKind? ServiceKind, IReadOnlyList<PoolMemberRequest>? Members, PoolPolicyRequest? Policy);

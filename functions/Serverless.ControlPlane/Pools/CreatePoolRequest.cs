namespace Serverless.ControlPlane.Pools;

/// <summary>The body of <c>POST /api/v1/pools</c>.</summary>
public sealed record CreatePoolRequest(string? Name, ServiceKind? ServiceKind, IReadOnlyList<PoolMemberRequest>? Members, PoolPolicyRequest? Policy);

namespace Serverless.ControlPlane.Pools;

/// <summary>A pool as stored: what it serves, its members, its policy; <see cref="ETag"/> is its version (null before it is stored).</summary>
public sealed record PoolDefinition(
    string TenantId,
    string PoolId,
    ServiceKind ServiceKind,
    IReadOnlyList<PoolMember> Members,
    PoolPolicy Policy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? ETag = null);

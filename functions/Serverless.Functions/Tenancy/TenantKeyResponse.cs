namespace Serverless.Functions.Tenancy;

/// <summary>A tenant API key; <see cref="Key"/> (the secret) only in the answer that issues it.</summary>
public sealed record TenantKeyResponse(string KeyId, string TenantId, string? Description, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string? Key);

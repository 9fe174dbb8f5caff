namespace Serverless.ControlPlane.Tenancy;

/// <summary>A tenant's API key as stored: only the secret's hash. Callers send <c>Authorization: Bearer tk1.{KeyId}.{secret}</c>.</summary>
public sealed record TenantKey(string KeyId, string TenantId, string SecretHash, string? Description, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

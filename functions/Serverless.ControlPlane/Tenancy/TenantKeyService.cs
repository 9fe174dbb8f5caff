using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Tenancy;

/// <summary>
/// Tenant API keys: 256 random bits, shown once, stored as a SHA-256 hash, compared in constant time, revocable.
/// A key names its tenant; every request made with it acts for that tenant only.
/// </summary>
public sealed class TenantKeyService(ITenantKeyStore store, TimeProvider clock)
{
    public const string TokenPrefix = "tk1.";

    public async Task<Outcome<IssuedTenantKey>> IssueAsync(string tenantId, IssueTenantKeyRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        FieldRules.Name("tenantId", tenantId, errors);
        FieldRules.OptionalText("description", request.Description, errors);
        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var key = new TenantKey(keyId, tenantId, Hash(secret), request.Description, clock.GetUtcNow(), null);
        await store.AddAsync(key, cancellationToken);
        return new IssuedTenantKey(key, $"{TokenPrefix}{keyId}.{secret}");
    }

    /// <summary>The tenant of a bearer token, or null for anything malformed, unknown, revoked or wrong.</summary>
    public async Task<string?> AuthenticateAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        const string bearer = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorizationHeader[bearer.Length..].Trim();
        var parts = token.StartsWith(TokenPrefix, StringComparison.Ordinal) ? token[TokenPrefix.Length..].Split('.') : [];
        if (parts is not [{ Length: 32 } keyId, { Length: > 0 and <= 64 } secret])
        {
            return null;
        }

        var key = await store.GetAsync(keyId, cancellationToken);
        if (key is null || key.RevokedAt <= clock.GetUtcNow())
        {
            return null;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(key.SecretHash)) ? key.TenantId : null;
    }

    /// <summary>Revokes a key of the tenant at once; another tenant's key is not found.</summary>
    public async Task<Outcome<TenantKey>> RevokeAsync(string tenantId, string keyId, CancellationToken cancellationToken)
    {
        var key = keyId.Length == 32 ? await store.GetAsync(keyId, cancellationToken) : null;
        if (key is null || key.TenantId != tenantId)
        {
            return DomainError.NotFound("tenant key", keyId);
        }

        var now = clock.GetUtcNow();
        if (key.RevokedAt is null)
        {
            await store.SetRevokedAtAsync(keyId, now, cancellationToken);
        }

        return key with { RevokedAt = key.RevokedAt ?? now };
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

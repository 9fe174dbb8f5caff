using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Security;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Tenancy;

/// <summary>
/// Tenant API keys (<see cref="SecretTokens"/>: shown once, stored hashed), revocable.
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

        var (keyId, secret, token) = SecretTokens.New(TokenPrefix);
        var key = new TenantKey(keyId, tenantId, SecretTokens.Hash(secret), request.Description, clock.GetUtcNow(), null);
        await store.AddAsync(key, cancellationToken);
        return new IssuedTenantKey(key, token);
    }

    /// <summary>The tenant of a bearer token, or null for anything malformed, unknown, revoked or wrong.</summary>
    public async Task<string?> AuthenticateAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        if (!SecretTokens.TryParse(TokenPrefix, SecretTokens.Bearer(authorizationHeader), out var keyId, out var secret))
        {
            return null;
        }

        var key = await store.GetAsync(keyId, cancellationToken);
        if (key is null || key.RevokedAt <= clock.GetUtcNow())
        {
            return null;
        }

        return SecretTokens.Matches(secret, key.SecretHash) ? key.TenantId : null;
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
}

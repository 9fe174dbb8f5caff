using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Agents;

/// <summary>
/// Issues and checks relay agents' uplink credentials. The secret is 256 random bits, shown once and stored as a
/// SHA-256 hash; checking compares hashes in constant time.
/// </summary>
public sealed class AgentCredentialService(IAgentCredentialStore store, TimeProvider clock)
{
    public const string TokenPrefix = "sa1.";

    /// <summary>How long a rotated credential keeps working.</summary>
    public static readonly TimeSpan RotationGrace = TimeSpan.FromMinutes(15);

    public async Task<Outcome<IssuedAgentCredential>> IssueAsync(string tenantId, IssueAgentCredentialRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        FieldRules.Name("agentId", request.AgentId, errors);
        FieldRules.Name("agentGroup", request.AgentGroup, errors);
        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        var credentialId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var credential = new AgentCredential(credentialId, tenantId, request.AgentId!, request.AgentGroup!, Hash(secret), clock.GetUtcNow(), null);
        await store.AddAsync(credential, cancellationToken);
        return new IssuedAgentCredential(credential, $"{TokenPrefix}{credentialId}.{secret}");
    }

    /// <summary>The agent behind a bearer token, or null for anything malformed, unknown, revoked or wrong.</summary>
    public async Task<AgentIdentity?> AuthenticateAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        const string bearer = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorizationHeader[bearer.Length..].Trim();
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = token[TokenPrefix.Length..].Split('.');
        if (parts.Length != 2 || parts[0].Length != 32 || parts[1].Length == 0 || parts[1].Length > 64)
        {
            return null;
        }

        var credential = await store.GetAsync(parts[0], cancellationToken);
        if (credential is null || credential.RevokedAt <= clock.GetUtcNow())
        {
            return null;
        }

        var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(parts[1])), Encoding.ASCII.GetBytes(credential.SecretHash));
        return matches ? new AgentIdentity(credential.TenantId, credential.AgentId, credential.AgentGroup, credential.CredentialId) : null;
    }

    /// <summary>
    /// A new credential for the same agent; the old one keeps working for <see cref="RotationGrace"/>, so an agent
    /// that loses the answer can still ask again, and then stops.
    /// </summary>
    public async Task<Outcome<IssuedAgentCredential>> RotateAsync(AgentIdentity agent, CancellationToken cancellationToken)
    {
        var issued = await IssueAsync(agent.TenantId, new IssueAgentCredentialRequest(agent.AgentId, agent.AgentGroup), cancellationToken);
        if (issued.Succeeded)
        {
            await store.SetRevokedAtAsync(agent.CredentialId, clock.GetUtcNow() + RotationGrace, cancellationToken);
        }

        return issued;
    }

    /// <summary>Revokes a credential of the tenant at once; another tenant's credential is not found.</summary>
    public async Task<Outcome<AgentCredential>> RevokeAsync(string tenantId, string credentialId, CancellationToken cancellationToken)
    {
        var credential = credentialId.Length == 32 ? await store.GetAsync(credentialId, cancellationToken) : null;
        if (credential is null || credential.TenantId != tenantId)
        {
            return DomainError.NotFound("agent credential", credentialId);
        }

        var now = clock.GetUtcNow();
        if (credential.RevokedAt is null || credential.RevokedAt > now)
        {
            await store.SetRevokedAtAsync(credentialId, now, cancellationToken);
        }

        return credential with { RevokedAt = credential.RevokedAt is { } at && at <= now ? at : now };
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Security;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Agents;

/// <summary>
/// Issues and checks relay agents' uplink credentials (<see cref="SecretTokens"/>: shown once, stored hashed).
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

        var (credentialId, secret, token) = SecretTokens.New(TokenPrefix);
        var credential = new AgentCredential(credentialId, tenantId, request.AgentId!, request.AgentGroup!, SecretTokens.Hash(secret), clock.GetUtcNow(), null);
        await store.AddAsync(credential, cancellationToken);
        return new IssuedAgentCredential(credential, token);
    }

    /// <summary>The agent behind a bearer token; refused for anything malformed, unknown or wrong, and revoked for a revoked one.</summary>
    public async Task<AgentAuthentication> AuthenticateAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        if (!SecretTokens.TryParse(TokenPrefix, SecretTokens.Bearer(authorizationHeader), out var credentialId, out var secret))
        {
            return AgentAuthentication.Refused;
        }

        var credential = await store.GetAsync(credentialId, cancellationToken);
        if (credential is null || !SecretTokens.Matches(secret, credential.SecretHash))
        {
            return AgentAuthentication.Refused;
        }

        return credential.RevokedAt <= clock.GetUtcNow()
            ? new AgentAuthentication(null, Revoked: true)
            : new AgentAuthentication(new AgentIdentity(credential.TenantId, credential.AgentId, credential.AgentGroup, credential.CredentialId), Revoked: false);
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

    /// <summary>Revokes, at once, every credential of a tenant's agent group that still works; returns how many.</summary>
    public async Task<int> RevokeGroupAsync(string tenantId, string agentGroup, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var revoked = 0;
        foreach (var credential in await store.ListAsync(tenantId, agentGroup, cancellationToken))
        {
            if (credential.RevokedAt is null || credential.RevokedAt > now)
            {
                await store.SetRevokedAtAsync(credential.CredentialId, now, cancellationToken);
                revoked++;
            }
        }

        return revoked;
    }
}

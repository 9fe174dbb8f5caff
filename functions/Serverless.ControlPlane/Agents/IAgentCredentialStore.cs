namespace Serverless.ControlPlane.Agents;

public interface IAgentCredentialStore
{
    Task<AgentCredential?> GetAsync(string credentialId, CancellationToken cancellationToken);

    Task AddAsync(AgentCredential credential, CancellationToken cancellationToken);

    /// <summary>Every credential ever issued to the tenant's agent group, revoked ones included.</summary>
    Task<IReadOnlyList<AgentCredential>> ListAsync(string tenantId, string agentGroup, CancellationToken cancellationToken);

    /// <summary>Sets when the credential stops working; false when there is no such credential.</summary>
    Task<bool> SetRevokedAtAsync(string credentialId, DateTimeOffset revokedAt, CancellationToken cancellationToken);
}

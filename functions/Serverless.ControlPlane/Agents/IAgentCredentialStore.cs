namespace Serverless.ControlPlane.Agents;

public interface IAgentCredentialStore
{
    Task<AgentCredential?> GetAsync(string credentialId, CancellationToken cancellationToken);

    Task AddAsync(AgentCredential credential, CancellationToken cancellationToken);

    /// <summary>Sets when the credential stops working; false when there is no such credential.</summary>
    Task<bool> SetRevokedAtAsync(string credentialId, DateTimeOffset revokedAt, CancellationToken cancellationToken);
}

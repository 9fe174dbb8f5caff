namespace Serverless.ControlPlane.Agents;

public interface IAgentCredentialStore
{
    Task<AgentCredential?> GetAsync(string credentialId, CancellationToken cancellationToken);

    Task AddAsync(AgentCredential credential, CancellationToken cancellationToken);
}

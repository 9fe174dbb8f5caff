namespace Serverless.ControlPlane.Agents;

public interface IAgentGroupStore
{
    Task<AgentGroupConnectivity?> GetAsync(string tenantId, string agentGroup, CancellationToken cancellationToken);

    Task<IReadOnlyList<AgentGroupConnectivity>> ListAsync(CancellationToken cancellationToken);

    Task UpsertAsync(AgentGroupConnectivity connectivity, CancellationToken cancellationToken);
}

namespace Serverless.ControlPlane.Agents;

public interface IAgentGroupStore
{
    Task<AgentGroupConnectivity?> GetAsync(string tenantId, string agentGroup, CancellationToken cancellationToken);

    Task<IReadOnlyList<AgentGroupConnectivity>> ListAsync(CancellationToken cancellationToken);

    Task UpsertAsync(AgentGroupConnectivity connectivity, CancellationToken cancellationToken);

    /// <summary>The connectivity timer's own record of its evaluations; null before the first.</summary>
    Task<ConnectivityWatch?> GetWatchAsync(CancellationToken cancellationToken);

    Task SetWatchAsync(ConnectivityWatch watch, CancellationToken cancellationToken);
}

using Azure.Data.Tables;
using Serverless.ControlPlane.Agents;

namespace Serverless.Functions.Storage;

/// <summary>Agent groups' connectivity in <c>AgentGroups</c>: PartitionKey = tenant, RowKey = group.</summary>
public sealed class TableAgentGroupStore(TableProvider tables) : IAgentGroupStore
{
    public async Task<AgentGroupConnectivity?> GetAsync(string tenantId, string agentGroup, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.AgentGroups, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, agentGroup, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<IReadOnlyList<AgentGroupConnectivity>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.AgentGroups, cancellationToken);
        var groups = new List<AgentGroupConnectivity>();
        await foreach (var e in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            groups.Add(FromEntity(e));
        }

        return groups;
    }

    public async Task UpsertAsync(AgentGroupConnectivity connectivity, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.AgentGroups, cancellationToken);
        await table.UpsertEntityAsync(
            new TableEntity(connectivity.TenantId, connectivity.AgentGroup)
            {
                ["Status"] = connectivity.Status.ToString(),
                ["LastHeardAt"] = connectivity.LastHeardAt,
                ["ChangedAt"] = connectivity.ChangedAt,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    private static AgentGroupConnectivity FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey,
        Enum.Parse<AgentGroupStatus>(e.GetString("Status")),
        e.GetDateTimeOffset("LastHeardAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("ChangedAt") ?? DateTimeOffset.MinValue);
}

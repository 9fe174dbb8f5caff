using Azure.Data.Tables;
using Serverless.ControlPlane.Agents;

namespace Serverless.Functions.Storage;

/// <summary>
/// Agent groups' connectivity in <c>AgentGroups</c>: PartitionKey = tenant, RowKey = group; the timer's own watch in
/// the row (<c>~connectivity</c>, <c>watch</c>), a partition no tenant can have.
/// </summary>
public sealed class TableAgentGroupStore(TableProvider tables) : IAgentGroupStore
{
    private const string WatchPartition = "~connectivity";
    private const string WatchRow = "watch";

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
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ne {WatchPartition}"), cancellationToken: cancellationToken))
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

    public async Task<ConnectivityWatch?> GetWatchAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.AgentGroups, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(WatchPartition, WatchRow, cancellationToken: cancellationToken);
        return response.HasValue
            ? new ConnectivityWatch(response.Value!.GetDateTimeOffset("LastEvaluatedAt")!.Value, response.Value.GetDateTimeOffset("WatchingSince")!.Value)
            : null;
    }

    public async Task SetWatchAsync(ConnectivityWatch watch, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.AgentGroups, cancellationToken);
        await table.UpsertEntityAsync(
            new TableEntity(WatchPartition, WatchRow) { ["LastEvaluatedAt"] = watch.LastEvaluatedAt, ["WatchingSince"] = watch.WatchingSince },
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

using Azure;
using Azure.Data.Tables;
using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Instances;

namespace Serverless.Functions.Storage;

/// <summary>
/// Instances in the <c>Instances</c> table: PartitionKey = tenant, RowKey = <c>{resource}|{escaped domain name}</c>, so
/// one range query reads a host's instances. Domain names are escaped because libvirt allows characters keys do not.
/// </summary>
public sealed class TableInstanceStore(TableProvider tables) : IInstanceStore
{
    private const char Separator = '|';

    public async Task<IReadOnlyList<ResourceInstance>> ListAsync(string tenantId, string resourceId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Instances, cancellationToken);
        var instances = new List<ResourceInstance>();
        await foreach (var entity in table.QueryAsync<TableEntity>(HostFilter(tenantId, resourceId), cancellationToken: cancellationToken))
        {
            instances.Add(FromEntity(entity));
        }

        return instances;
    }

    public async Task ReplaceAllAsync(string tenantId, string resourceId, IReadOnlyList<ResourceInstance> instances, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Instances, cancellationToken);
        var keep = instances.Select(i => RowKey(i.ResourceId, i.Name)).ToHashSet(StringComparer.Ordinal);
        var actions = new List<TableTransactionAction>();
        await foreach (var entity in table.QueryAsync<TableEntity>(HostFilter(tenantId, resourceId), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (!keep.Contains(entity.RowKey))
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
            }
        }

        actions.AddRange(instances.Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(i))));

        await TableQueries.SubmitAsync(table, actions, cancellationToken);
    }

    public async Task UpsertAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Instances, cancellationToken);
        await table.UpsertEntityAsync(ToEntity(instance), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task UpsertManyAsync(IReadOnlyList<ResourceInstance> instances, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Instances, cancellationToken);

        // One row per key in a transaction: the last word on an instance is the one kept.
        var rows = instances.GroupBy(i => (i.TenantId, RowKey(i.ResourceId, i.Name))).Select(g => g.Last());
        await TableQueries.SubmitAsync(table, rows.Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(i))), cancellationToken);
    }

    private static string HostFilter(string tenantId, string resourceId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and RowKey gt {resourceId + Separator} and RowKey lt {resourceId + (char)(Separator + 1)}");

    private static string RowKey(string resourceId, string name) => resourceId + Separator + Uri.EscapeDataString(name);

    private static TableEntity ToEntity(ResourceInstance i) => new(i.TenantId, RowKey(i.ResourceId, i.Name))
    {
        ["ResourceId"] = i.ResourceId,
        ["Zone"] = i.Zone,
        ["Name"] = i.Name,
        ["State"] = i.State.ToString(),
        ["UpdatedAt"] = i.UpdatedAt,
    };

    private static ResourceInstance FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("ResourceId"),
        e.GetString("Zone"),
        e.GetString("Name"),
        Enum.Parse<InstanceState>(e.GetString("State")),
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue);
}

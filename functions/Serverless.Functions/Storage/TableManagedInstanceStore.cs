using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Instances;

namespace Serverless.Functions.Storage;

/// <summary>
/// Managed instances in the <c>ComputeInstances</c> table: PartitionKey = tenant, RowKey = name; the record as one JSON
/// column, with its state, zone and host beside it for reading by eye and by query.
/// </summary>
public sealed class TableManagedInstanceStore(TableProvider tables) : IManagedInstanceStore
{
    public async Task<ManagedInstance?> GetAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.ComputeInstances, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, name, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<IReadOnlyList<ManagedInstance?>> GetManyAsync(string tenantId, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.ComputeInstances, cancellationToken);
        var found = await TableQueries.GetByRowKeysAsync(table, tenantId, names, cancellationToken);
        return [.. names.Select(name => found.TryGetValue(name, out var entity) ? FromEntity(entity) : null)];
    }

    public async Task<bool> TryAddAsync(ManagedInstance instance, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.ComputeInstances, cancellationToken);
        try
        {
            await table.AddEntityAsync(ToEntity(instance), cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> TryReplaceAsync(ManagedInstance instance, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.ComputeInstances, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(ToEntity(instance), new ETag(instance.ETag ?? string.Empty), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            return false;
        }
    }

    public Task<IReadOnlyList<bool>> TryAddManyAsync(IReadOnlyList<ManagedInstance> instances, CancellationToken cancellationToken) =>
        WriteManyAsync(instances, i => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(i)), 409, TryAddAsync, cancellationToken);

    public Task<IReadOnlyList<bool>> TryReplaceManyAsync(IReadOnlyList<ManagedInstance> instances, CancellationToken cancellationToken) =>
        WriteManyAsync(
            instances,
            i => new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(i), new ETag(i.ETag ?? string.Empty)),
            412,
            TryReplaceAsync,
            cancellationToken);

    /// <summary>
    /// A tenant's records a hundred per transaction; one that is refused (<paramref name="refusal"/>, or 404) makes its
    /// transaction write nothing, so that transaction's records go one by one and only the refused one fails. A name given
    /// twice (a transaction may not hold a row twice) goes one by one after the others, in its order.
    /// </summary>
    private async Task<IReadOnlyList<bool>> WriteManyAsync(
        IReadOnlyList<ManagedInstance> instances,
        Func<ManagedInstance, TableTransactionAction> action,
        int refusal,
        Func<ManagedInstance, CancellationToken, Task<bool>> writeOne,
        CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.ComputeInstances, cancellationToken);
        var written = new bool[instances.Count];
        var firsts = Enumerable.Range(0, instances.Count).DistinctBy(i => (instances[i].TenantId, instances[i].Name)).ToList();
        foreach (var chunk in firsts.GroupBy(i => instances[i].TenantId, StringComparer.Ordinal).SelectMany(g => g.Chunk(TableQueries.MaxActionsPerTransaction)))
        {
            try
            {
                await table.SubmitTransactionAsync(chunk.Select(i => action(instances[i])), cancellationToken);
                foreach (var i in chunk)
                {
                    written[i] = true;
                }
            }
            catch (TableTransactionFailedException exception) when (exception.Status == refusal || exception.Status == 404)
            {
                var each = await Task.WhenAll(chunk.Select(i => writeOne(instances[i], cancellationToken)));
                for (var k = 0; k < chunk.Length; k++)
                {
                    written[chunk[k]] = each[k];
                }
            }
        }

        foreach (var i in Enumerable.Range(0, instances.Count).Except(firsts))
        {
            written[i] = await writeOne(instances[i], cancellationToken);
        }

        return written;
    }

    public async Task<bool> TryDeleteAsync(ManagedInstance instance, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.ComputeInstances, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(instance.TenantId, instance.Name, new ETag(instance.ETag ?? string.Empty), cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<ManagedInstance>> ListEveryAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.ComputeInstances, cancellationToken);
        var result = new List<ManagedInstance>();
        await foreach (var entity in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            result.Add(FromEntity(entity));
        }

        return result;
    }

    public async Task<IReadOnlyList<ManagedInstance>> ListAllAsync(string tenantId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.ComputeInstances, cancellationToken);
        var result = new List<ManagedInstance>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenantId}"), cancellationToken: cancellationToken))
        {
            result.Add(FromEntity(entity));
        }

        return result;
    }

    private static TableEntity ToEntity(ManagedInstance instance) => new(instance.TenantId, instance.Name)
    {
        ["State"] = instance.State.ToString(),
        ["Zone"] = instance.Zone,
        ["HostId"] = instance.HostId,
        ["Record"] = JsonSerializer.Serialize(instance with { ETag = null }, StorageJsonContext.Default.ManagedInstance),
    };

    private static ManagedInstance FromEntity(TableEntity entity) =>
        JsonSerializer.Deserialize(entity.GetString("Record"), StorageJsonContext.Default.ManagedInstance)! with { ETag = entity.ETag.ToString() };
}

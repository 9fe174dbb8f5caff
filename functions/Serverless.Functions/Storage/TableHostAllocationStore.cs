using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Instances;

namespace Serverless.Functions.Storage;

/// <summary>
/// Hosts' reservations in the <c>HostAllocations</c> table: PartitionKey = tenant, RowKey = host, the instances as a JSON
/// column. Every write is conditional on the row's ETag (an insert when there is none), which is what makes a host's last
/// capacity go to exactly one of two racing launches.
/// </summary>
public sealed class TableHostAllocationStore(TableProvider tables) : IHostAllocationStore
{
    public async Task<IReadOnlyList<HostAllocation>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.HostAllocations, cancellationToken);
        var result = new List<HostAllocation>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenantId}"), cancellationToken: cancellationToken))
        {
            result.Add(FromEntity(entity));
        }

        return result;
    }

    public async Task<HostAllocation?> GetAsync(string tenantId, string hostId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.HostAllocations, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, hostId, cancellationToken: cancellationToken);
        return found.HasValue ? FromEntity(found.Value!) : null;
    }

    public async Task<bool> TryWriteAsync(HostAllocation allocation, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.HostAllocations, cancellationToken);
        var entity = new TableEntity(allocation.TenantId, allocation.HostId)
        {
            ["Instances"] = JsonSerializer.Serialize(allocation.Instances, StorageJsonContext.Default.IReadOnlyListInstanceAllocation),
            ["VirtualCpus"] = allocation.VirtualCpus,
            ["MemoryMiB"] = allocation.MemoryMiB,
        };
        try
        {
            if (allocation.ETag is null)
            {
                await table.AddEntityAsync(entity, cancellationToken);
            }
            else
            {
                await table.UpdateEntityAsync(entity, new ETag(allocation.ETag), TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    private static HostAllocation FromEntity(TableEntity entity) => new(
        entity.PartitionKey,
        entity.RowKey,
        JsonSerializer.Deserialize(entity.GetString("Instances") ?? "[]", StorageJsonContext.Default.IReadOnlyListInstanceAllocation) ?? [],
        entity.ETag.ToString());
}

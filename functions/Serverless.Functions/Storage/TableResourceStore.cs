using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Registration;

namespace Serverless.Functions.Storage;

/// <summary>Resources in the <c>Resources</c> table: PartitionKey = tenant, RowKey = resource id; lists are JSON columns.</summary>
public sealed class TableResourceStore(TableProvider tables) : IResourceStore
{
    public async Task<ResourceRegistration?> GetAsync(string tenantId, string resourceId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Resources, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, resourceId, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task UpsertAsync(ResourceRegistration registration, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Resources, cancellationToken);
        await table.UpsertEntityAsync(ToEntity(registration), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<bool> TryReplaceAsync(ResourceRegistration registration, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Resources, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(ToEntity(registration), new ETag(registration.ETag ?? string.Empty), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<ResourceRegistration>> ListAsync(string tenantId, int pageSize, string? afterId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Resources, cancellationToken);
        return await TableQueries.PageAsync(table, tenantId, pageSize, afterId, FromEntity, cancellationToken);
    }

    public async Task<IReadOnlyList<ResourceRegistration>> ListRegisteredHostsAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Resources, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"Kind eq {ResourceKind.VirtualizationHost.ToString()} and State eq {RegistrationState.Registered.ToString()}");
        var result = new List<ResourceRegistration>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            result.Add(FromEntity(entity));
        }

        return result;
    }

    private static TableEntity ToEntity(ResourceRegistration r) => new(r.TenantId, r.ResourceId)
    {
        ["Zone"] = r.Zone,
        ["Kind"] = r.Kind.ToString(),
        ["Endpoint"] = r.Endpoint,
        ["DeviceProfile"] = r.DeviceProfile,
        ["ServiceCategories"] = JsonSerializer.Serialize(r.ServiceCategories, StorageJsonContext.Default.IReadOnlyListString),
        ["State"] = r.State.ToString(),
        ["Reasons"] = JsonSerializer.Serialize(r.Reasons, StorageJsonContext.Default.IReadOnlyListString),
        ["Capabilities"] = JsonSerializer.Serialize(r.Capabilities, StorageJsonContext.Default.IReadOnlyDictionaryStringString),
        ["OperationId"] = r.OperationId,
        ["CreatedAt"] = r.CreatedAt,
        ["UpdatedAt"] = r.UpdatedAt,
        ["Credential"] = r.Credential,
    };

    private static ResourceRegistration FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey,
        e.GetString("Zone"),
        Enum.Parse<ResourceKind>(e.GetString("Kind")),
        e.GetString("Endpoint"),
        e.GetString("DeviceProfile"),
        JsonSerializer.Deserialize(e.GetString("ServiceCategories") ?? "[]", StorageJsonContext.Default.IReadOnlyListString) ?? [],
        Enum.Parse<RegistrationState>(e.GetString("State")),
        JsonSerializer.Deserialize(e.GetString("Reasons") ?? "[]", StorageJsonContext.Default.IReadOnlyListString) ?? [],
        JsonSerializer.Deserialize(e.GetString("Capabilities") ?? "{}", StorageJsonContext.Default.IReadOnlyDictionaryStringString)
            ?? new Dictionary<string, string>(),
        e.GetString("OperationId"),
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
        e.GetString("Credential"),
        e.ETag.ToString());
}

using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Zones;

namespace Serverless.Functions.Storage;

/// <summary>Zones in the <c>Zones</c> table: PartitionKey = tenant, RowKey = zone name.</summary>
public sealed class TableZoneStore(TableProvider tables) : IZoneStore
{
    public async Task<bool> TryAddAsync(Zone zone, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Zones, cancellationToken);
        try
        {
            await table.AddEntityAsync(ToEntity(zone), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<Zone?> GetAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Zones, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, name, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<IReadOnlyList<Zone>> ListAsync(string tenantId, int pageSize, string? afterName, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Zones, cancellationToken);
        return await TableQueries.PageAsync(table, tenantId, pageSize, afterName, FromEntity, cancellationToken);
    }

    private static TableEntity ToEntity(Zone zone) => new(zone.TenantId, zone.Name)
    {
        ["Kind"] = zone.Kind.ToString(),
        ["Site"] = zone.Site,
        ["CreatedAt"] = zone.CreatedAt,
    };

    private static Zone FromEntity(TableEntity entity) => new(
        entity.PartitionKey,
        entity.RowKey,
        Enum.Parse<ZoneKind>(entity.GetString("Kind")),
        entity.GetString("Site"),
        entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue);
}

using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Migrations;

namespace Serverless.Functions.Storage;

/// <summary>
/// Migrations in the <c>Migrations</c> table: PartitionKey = tenant, RowKey = migration id; the record as one JSON
/// column, with its instance, phase and status beside it for reading by eye.
/// </summary>
public sealed class TableMigrationStore(TableProvider tables) : IMigrationStore
{
    public async Task<MigrationRecord?> GetAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Migrations, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, id, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<bool> TryAddAsync(MigrationRecord migration, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Migrations, cancellationToken);
        try
        {
            await table.AddEntityAsync(ToEntity(migration), cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> TryReplaceAsync(MigrationRecord migration, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Migrations, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(ToEntity(migration), new ETag(migration.ETag ?? string.Empty), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<MigrationRecord>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Migrations, cancellationToken);
        var result = new List<MigrationRecord>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenantId}"), cancellationToken: cancellationToken))
        {
            result.Add(FromEntity(entity));
        }

        return [.. result.OrderByDescending(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal)];
    }

    private static TableEntity ToEntity(MigrationRecord migration) => new(migration.TenantId, migration.Id)
    {
        ["Instance"] = migration.Instance,
        ["Phase"] = migration.Phase.ToString(),
        ["Status"] = migration.Status.ToString(),
        ["Record"] = JsonSerializer.Serialize(migration with { ETag = null }, StorageJsonContext.Default.MigrationRecord),
    };

    private static MigrationRecord FromEntity(TableEntity entity) =>
        JsonSerializer.Deserialize(entity.GetString("Record"), StorageJsonContext.Default.MigrationRecord)! with { ETag = entity.ETag.ToString() };
}

using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Tenancy;

namespace Serverless.Functions.Storage;

/// <summary>Tenant keys in <c>TenantKeys</c>: PartitionKey = key id (looked up on every request), RowKey = "key". Only hashes.</summary>
public sealed class TableTenantKeyStore(TableProvider tables) : ITenantKeyStore
{
    private const string Row = "key";

    public async Task<TenantKey?> GetAsync(string keyId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.TenantKeys, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(keyId, Row, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var e = response.Value!;
        return new TenantKey(e.PartitionKey, e.GetString("TenantId"), e.GetString("SecretHash"), e.GetString("Description"),
            e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue, e.GetDateTimeOffset("RevokedAt"));
    }

    public async Task AddAsync(TenantKey key, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.TenantKeys, cancellationToken);
        await table.AddEntityAsync(
            new TableEntity(key.KeyId, Row)
            {
                ["TenantId"] = key.TenantId,
                ["SecretHash"] = key.SecretHash,
                ["Description"] = key.Description,
                ["CreatedAt"] = key.CreatedAt,
                ["RevokedAt"] = key.RevokedAt,
            },
            cancellationToken);
    }

    public async Task SetRevokedAtAsync(string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.TenantKeys, cancellationToken);
        await table.UpdateEntityAsync(new TableEntity(keyId, Row) { ["RevokedAt"] = revokedAt }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }
}

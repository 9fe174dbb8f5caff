using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Agents;

namespace Serverless.Functions.Storage;

/// <summary>
/// Credentials in the <c>AgentCredentials</c> table: PartitionKey = credential id (looked up on every uplink call without
/// knowing the tenant), RowKey = "credential". Only the secret's hash is stored.
/// </summary>
public sealed class TableAgentCredentialStore(TableProvider tables) : IAgentCredentialStore
{
    private const string Row = "credential";

    public async Task<AgentCredential?> GetAsync(string credentialId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.AgentCredentials, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(credentialId, Row, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var e = response.Value!;
        return new AgentCredential(
            e.PartitionKey,
            e.GetString("TenantId"),
            e.GetString("AgentId"),
            e.GetString("AgentGroup"),
            e.GetString("SecretHash"),
            e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            e.GetDateTimeOffset("RevokedAt"));
    }

    public async Task AddAsync(AgentCredential credential, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.AgentCredentials, cancellationToken);
        await table.AddEntityAsync(
            new TableEntity(credential.CredentialId, Row)
            {
                ["TenantId"] = credential.TenantId,
                ["AgentId"] = credential.AgentId,
                ["AgentGroup"] = credential.AgentGroup,
                ["SecretHash"] = credential.SecretHash,
                ["CreatedAt"] = credential.CreatedAt,
                ["RevokedAt"] = credential.RevokedAt,
            },
            cancellationToken);
    }

    public async Task<bool> SetRevokedAtAsync(string credentialId, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.AgentCredentials, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(credentialId, Row) { ["RevokedAt"] = revokedAt }, ETag.All, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return false;
        }
    }
}

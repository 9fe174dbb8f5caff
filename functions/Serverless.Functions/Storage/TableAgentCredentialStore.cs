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

        return FromEntity(response.Value!);
    }

    /// <summary>A scan across partitions: rare (removing a group), and the table holds one row per credential.</summary>
    public async Task<IReadOnlyList<AgentCredential>> ListAsync(string tenantId, string agentGroup, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.AgentCredentials, cancellationToken);
        var credentials = new List<AgentCredential>();
        await foreach (var entity in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"TenantId eq {tenantId} and AgentGroup eq {agentGroup}"), cancellationToken: cancellationToken))
        {
            credentials.Add(FromEntity(entity));
        }

        return credentials;
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

    private static AgentCredential FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("TenantId"),
        e.GetString("AgentId"),
        e.GetString("AgentGroup"),
        e.GetString("SecretHash"),
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("RevokedAt"));
}

using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;

namespace Serverless.Functions.Storage;

/// <summary>Results in the <c>CommandResults</c> table: PartitionKey = tenant, RowKey = command id, the result as JSON.</summary>
public sealed class TableCommandResultStore(TableProvider tables) : ICommandResultStore
{
    public async Task<CommandResult?> GetAsync(string tenantId, string commandId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.CommandResults, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, commandId, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<IReadOnlyList<CommandResult?>> GetManyAsync(string tenantId, IReadOnlyList<string> commandIds, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.CommandResults, cancellationToken);
        var found = await TableQueries.GetByRowKeysAsync(table, tenantId, commandIds, cancellationToken);
        return [.. commandIds.Select(id => found.TryGetValue(id, out var entity) ? FromEntity(entity) : null)];
    }

    public async Task<bool> TryAddAsync(CommandResult result, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.CommandResults, cancellationToken);
        var entity = new TableEntity(result.TenantId, result.CommandId)
        {
            ["Kind"] = result.Kind,
            ["Status"] = result.Status.ToString(),
            ["AgentId"] = result.AgentId,
            ["CompletedAt"] = result.Timings.CompletedAt,
            ["Result"] = JsonSerializer.Serialize(result, ContractsJsonContext.Default.CommandResult),
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return false;
        }
    }

    private static CommandResult? FromEntity(TableEntity entity) =>
        JsonSerializer.Deserialize(entity.GetString("Result"), ContractsJsonContext.Default.CommandResult);
}

using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Commands;

namespace Serverless.Functions.Storage;

/// <summary>The command audit log in the <c>Commands</c> table: PartitionKey = tenant, RowKey = command id.</summary>
public sealed class TableCommandLog(TableProvider tables) : ICommandLog
{
    public async Task RecordAsync(CommandRecord command, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Commands, cancellationToken);
        var entity = new TableEntity(command.TenantId, command.CommandId)
        {
            ["Kind"] = command.Kind,
            ["Zone"] = command.Zone,
            ["Target"] = command.Target,
            ["IssuedAt"] = command.IssuedAt,
            ["Deadline"] = command.Deadline,
            ["CorrelationInstanceId"] = command.CorrelationInstanceId,
            ["ResultEventName"] = command.ResultEventName,
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Already recorded by an earlier attempt of the same activity: the log keeps the first entry.
        }
    }
}

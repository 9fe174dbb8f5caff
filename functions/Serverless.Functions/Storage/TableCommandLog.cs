using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Commands;

namespace Serverless.Functions.Storage;

/// <summary>
/// The command audit log in the <c>Commands</c> table: PartitionKey = tenant, RowKey = command id. Beside each entry,
/// in the same partition and transaction, an index row per workflow it belongs to (its sender and the sender's parent):
/// RowKey <c>op|{instance id}|{issued ticks}|{command id}</c>, so a workflow's commands are one range read, in time order.
/// </summary>
public sealed class TableCommandLog(TableProvider tables) : ICommandLog
{
    private const string IndexPrefix = "op|";

    public async Task RecordAsync(CommandRecord command, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Commands, cancellationToken);
        try
        {
            await table.SubmitTransactionAsync(Rows(command), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Already recorded by an earlier attempt of the same activity: the log keeps the first entry.
        }
    }

    /// <summary>
    /// A tenant's commands go together, each with its index rows, up to a transaction's hundred rows; a transaction that
    /// meets a command recorded before writes nothing, so its commands go one by one.
    /// </summary>
    public async Task RecordManyAsync(IReadOnlyList<CommandRecord> commands, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Commands, cancellationToken);
        foreach (var tenant in commands.DistinctBy(c => (c.TenantId, c.CommandId)).GroupBy(c => c.TenantId, StringComparer.Ordinal))
        {
            var batch = new List<CommandRecord>();
            var rows = new List<TableTransactionAction>();
            foreach (var command in tenant)
            {
                var own = Rows(command);
                if (rows.Count + own.Count > TableQueries.MaxActionsPerTransaction)
                {
                    await SubmitOrOneByOneAsync(table, batch, rows, cancellationToken);
                    (batch, rows) = ([], []);
                }

                batch.Add(command);
                rows.AddRange(own);
            }

            await SubmitOrOneByOneAsync(table, batch, rows, cancellationToken);
        }
    }

    private async Task SubmitOrOneByOneAsync(TableClient table, List<CommandRecord> batch, List<TableTransactionAction> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        try
        {
            await table.SubmitTransactionAsync(rows, cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            await Task.WhenAll(batch.Select(c => RecordAsync(c, cancellationToken)));
        }
    }

    /// <summary>The command's entry and an index row per workflow it belongs to.</summary>
    private static List<TableTransactionAction> Rows(CommandRecord command) =>
        [.. new[] { command.CorrelationInstanceId, command.ParentInstanceId }
            .Where(owner => !string.IsNullOrEmpty(owner))
            .Distinct(StringComparer.Ordinal)
            .Select(owner => Entity(command, IndexKey(owner!, command)))
            .Prepend(Entity(command, command.CommandId))
            .Select(entity => new TableTransactionAction(TableTransactionActionType.Add, entity))];

    public async Task<IReadOnlyList<CommandRecord>> ListForInstanceAsync(string tenantId, string instanceId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Commands, cancellationToken);
        var from = $"{IndexPrefix}{instanceId}|";
        var to = $"{IndexPrefix}{instanceId}}}";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and RowKey gt {from} and RowKey lt {to}");
        var commands = new List<CommandRecord>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            commands.Add(new CommandRecord(
                tenantId,
                entity.GetString("CommandId"),
                entity.GetString("Kind"),
                entity.GetString("Zone"),
                entity.GetString("Target"),
                entity.GetDateTimeOffset("IssuedAt")!.Value,
                entity.GetDateTimeOffset("Deadline")!.Value,
                entity.GetString("CorrelationInstanceId"),
                entity.GetString("ResultEventName"),
                entity.GetString("ParentInstanceId")));
        }

        return commands;
    }

    // '}' sorts after '|', so "op|{id}|" < every row of the instance < "op|{id}}"; ticks are fixed width for time order.
    private static string IndexKey(string instanceId, CommandRecord command) =>
        string.Create(CultureInfo.InvariantCulture, $"{IndexPrefix}{instanceId}|{command.IssuedAt.UtcTicks:D19}|{command.CommandId}");

    private static TableEntity Entity(CommandRecord command, string rowKey) => new(command.TenantId, rowKey)
    {
        ["CommandId"] = command.CommandId,
        ["Kind"] = command.Kind,
        ["Zone"] = command.Zone,
        ["Target"] = command.Target,
        ["IssuedAt"] = command.IssuedAt,
        ["Deadline"] = command.Deadline,
        ["CorrelationInstanceId"] = command.CorrelationInstanceId,
        ["ResultEventName"] = command.ResultEventName,
        ["ParentInstanceId"] = command.ParentInstanceId,
    };
}

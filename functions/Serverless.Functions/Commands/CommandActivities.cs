using Microsoft.Azure.Functions.Worker;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;

namespace Serverless.Functions.Commands;

/// <summary>
/// The side effect of sending a command; safe to retry, since the command id is fixed by the orchestration. Returns the
/// command's result when one is already recorded.
/// </summary>
public sealed class CommandActivities(CommandService commands)
{
    [Function(FunctionNames.SendCommand)]
    public Task<CommandResult?> SendAsync([ActivityTrigger] CommandRequest request, CancellationToken cancellationToken) =>
        commands.SendAsync(request, cancellationToken);

    [Function(FunctionNames.GetCommandResult)]
    public Task<CommandResult?> GetResultAsync([ActivityTrigger] CommandResultQuery query, CancellationToken cancellationToken) =>
        commands.GetResultAsync(query.TenantId, query.CommandId, cancellationToken);

    [Function(FunctionNames.SendCommands)]
    public Task<IReadOnlyList<CommandResult?>> SendManyAsync([ActivityTrigger] IReadOnlyList<CommandRequest> requests, CancellationToken cancellationToken) =>
        commands.SendAllAsync(requests, cancellationToken);

    [Function(FunctionNames.GetCommandResults)]
    public async Task<IReadOnlyList<CommandResult?>> GetResultsAsync([ActivityTrigger] IReadOnlyList<CommandResultQuery> queries, CancellationToken cancellationToken) =>
        await Task.WhenAll(queries.Select(q => commands.GetResultAsync(q.TenantId, q.CommandId, cancellationToken)));
}

using System.Collections.Concurrent;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;

namespace Serverless.ControlPlane.Tests;

/// <summary>Stands in for the queue, the command log and the result store: records what was sent, in order.</summary>
public sealed class CommandRecorder : ICommandDispatcher, ICommandLog, ICommandResultStore
{
    private readonly Lock _gate = new();

    public List<string> Events { get; } = [];

    public List<CommandEnvelope> Sent { get; } = [];

    public ConcurrentDictionary<string, CommandResult> Results { get; } = new();

    public Task SendAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Events.Add($"send {command.CommandId}");
            Sent.Add(command);
        }

        return Task.CompletedTask;
    }

    public async Task SendManyAsync(IReadOnlyList<CommandEnvelope> commands, CancellationToken cancellationToken)
    {
        foreach (var command in commands)
        {
            await SendAsync(command, cancellationToken);
        }
    }

    public List<CommandRecord> Logged { get; } = [];

    public async Task RecordManyAsync(IReadOnlyList<CommandRecord> commands, CancellationToken cancellationToken)
    {
        foreach (var command in commands)
        {
            await RecordAsync(command, cancellationToken);
        }
    }

    public Task RecordAsync(CommandRecord command, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Events.Add($"log {command.CommandId}");
            if (!Logged.Any(c => c.CommandId == command.CommandId))
            {
                Logged.Add(command);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CommandRecord>> ListForInstanceAsync(string tenantId, string instanceId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<CommandRecord>>(
                [.. Logged.Where(c => c.TenantId == tenantId && (c.CorrelationInstanceId == instanceId || c.ParentInstanceId == instanceId)).OrderBy(c => c.IssuedAt)]);
        }
    }

    public Task<CommandResult?> GetAsync(string tenantId, string commandId, CancellationToken cancellationToken) =>
        Task.FromResult(Results.GetValueOrDefault(commandId));

    public Task<IReadOnlyList<CommandResult?>> GetManyAsync(string tenantId, IReadOnlyList<string> commandIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CommandResult?>>([.. commandIds.Select(id => Results.GetValueOrDefault(id))]);

    public Task<bool> TryAddAsync(CommandResult result, CancellationToken cancellationToken) =>
        Task.FromResult(Results.TryAdd(result.CommandId, result));
}

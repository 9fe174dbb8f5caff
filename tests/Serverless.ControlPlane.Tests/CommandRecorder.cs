using System.Collections.Concurrent;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;

namespace Serverless.ControlPlane.Tests;

/// <summary>Stands in for the queue, the command log and the result store: records what was sent, in order.</summary>
internal sealed class CommandRecorder : ICommandDispatcher, ICommandLog, ICommandResultStore
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

    public Task RecordAsync(CommandRecord command, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Events.Add($"log {command.CommandId}");
        }

        return Task.CompletedTask;
    }

    public Task<CommandResult?> GetAsync(string tenantId, string commandId, CancellationToken cancellationToken) =>
        Task.FromResult(Results.GetValueOrDefault(commandId));

    public Task<bool> TryAddAsync(CommandResult result, CancellationToken cancellationToken) =>
        Task.FromResult(Results.TryAdd(result.CommandId, result));
}

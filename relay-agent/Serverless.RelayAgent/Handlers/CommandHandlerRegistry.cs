using System.Collections.Frozen;
using System.Text.Json;
using Serverless.Contracts.Commands;

namespace Serverless.RelayAgent.Handlers;

/// <summary>Finds the handler for a command's kind; an unknown kind is an <c>unsupported</c> failure, not a crash.</summary>
public sealed class CommandHandlerRegistry(IEnumerable<ICommandHandler> handlers)
{
    private readonly FrozenDictionary<string, ICommandHandler> _handlers = handlers.ToFrozenDictionary(h => h.Kind, StringComparer.Ordinal);

    public IEnumerable<string> Kinds => _handlers.Keys;

    public Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken) =>
        _handlers.TryGetValue(command.Kind, out var handler)
            ? handler.ExecuteAsync(command, cancellationToken)
            : throw new CommandFailure(CommandErrorKind.Unsupported, $"This agent does not handle '{command.Kind}'; it handles {string.Join(", ", _handlers.Keys.Order())}.");
}

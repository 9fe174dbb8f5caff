using System.Text.Json;
using Serverless.Contracts.Commands;

namespace Serverless.RelayAgent.Handlers;

/// <summary>Executes one kind of command. Throw <see cref="CommandFailure"/> for an expected failure with its category.</summary>
public interface ICommandHandler
{
    string Kind { get; }

    Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken);
}

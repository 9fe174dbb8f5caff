using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Contracts.Commands;

namespace Serverless.RelayAgent.Handlers;

/// <summary><c>agent.ping</c>: the agent's identity and clock, and the payload's <c>echo</c> if any.</summary>
public sealed class PingHandler(IOptions<RelayAgentOptions> options, TimeProvider clock) : ICommandHandler
{
    public string Kind => CommandKinds.Ping;

    public Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var echo = command.Payload.ValueKind == JsonValueKind.Object && command.Payload.TryGetProperty("echo", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
        var output = new PingOutput(options.Value.AgentId, options.Value.AgentGroup, Environment.MachineName, clock.GetUtcNow(), echo);
        return Task.FromResult(JsonSerializer.SerializeToElement(output, AgentJsonContext.Default.PingOutput));
    }
}

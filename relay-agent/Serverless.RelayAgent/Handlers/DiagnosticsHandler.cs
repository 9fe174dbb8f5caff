using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Contracts.Commands;

namespace Serverless.RelayAgent.Handlers;

/// <summary><c>agent.diagnostics</c>: version, uptime, role, command counts and process resources.</summary>
public sealed class DiagnosticsHandler(IOptions<RelayAgentOptions> options, AgentStatus status, TimeProvider clock) : ICommandHandler
{
    public string Kind => CommandKinds.Diagnostics;

    public Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        using var process = Process.GetCurrentProcess();
        var output = new DiagnosticsOutput(
            options.Value.AgentId,
            options.Value.AgentGroup,
            AgentStatus.Version,
            Environment.MachineName,
            Environment.Version.ToString(),
            status.StartedAt,
            (long)(clock.GetUtcNow() - status.StartedAt).TotalSeconds,
            status.Role.ToString(),
            status.CommandsExecuted,
            status.LastCommandAt,
            process.WorkingSet64,
            (long)process.TotalProcessorTime.TotalMilliseconds);
        return Task.FromResult(JsonSerializer.SerializeToElement(output, AgentJsonContext.Default.DiagnosticsOutput));
    }
}

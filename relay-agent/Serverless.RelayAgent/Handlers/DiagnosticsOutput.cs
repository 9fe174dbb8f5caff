namespace Serverless.RelayAgent.Handlers;

/// <summary>Output of <c>agent.diagnostics</c>.</summary>
public sealed record DiagnosticsOutput(
    string AgentId,
    string AgentGroup,
    string AgentVersion,
    string HostName,
    string RuntimeVersion,
    DateTimeOffset StartedAt,
    long UptimeSeconds,
    string Role,
    long CommandsExecuted,
    DateTimeOffset? LastCommandAt,
    long WorkingSetBytes,
    long CpuMilliseconds);

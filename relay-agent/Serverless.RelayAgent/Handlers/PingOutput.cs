namespace Serverless.RelayAgent.Handlers;

/// <summary>Output of <c>agent.ping</c>.</summary>
public sealed record PingOutput(string AgentId, string AgentGroup, string HostName, DateTimeOffset AgentTime, string? Echo);

namespace Serverless.Functions.Agents;

/// <summary>One agent of a zone as its latest heartbeat describes it.</summary>
public sealed record ZoneAgentResponse(string AgentId, string Role, DateTimeOffset LastHeartbeatAt, string? HostName, string? AgentVersion);

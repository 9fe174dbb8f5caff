using Serverless.ControlPlane.Agents;

namespace Serverless.Functions.Agents;

/// <summary>A zone's agent group: its connectivity and each agent's latest heartbeat.</summary>
public sealed record ZoneAgentsResponse(string Zone, AgentGroupStatus Status, DateTimeOffset? LastHeardAt, IReadOnlyList<ZoneAgentResponse> Agents);

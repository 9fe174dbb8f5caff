namespace Serverless.ControlPlane.Agents;

/// <summary>An agent's latest heartbeat, with the control plane's own time of receipt (agent clocks may be off).</summary>
public sealed record AgentPresence(
    string TenantId, string AgentId, string AgentGroup, DateTimeOffset ReceivedAt, string Role, string? HostName, string? AgentVersion);

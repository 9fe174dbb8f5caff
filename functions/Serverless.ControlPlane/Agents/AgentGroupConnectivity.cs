namespace Serverless.ControlPlane.Agents;

/// <summary>An agent group's recorded connectivity: what the connectivity timer last decided, or a heartbeat since.</summary>
public sealed record AgentGroupConnectivity(string TenantId, string AgentGroup, AgentGroupStatus Status, DateTimeOffset LastHeardAt, DateTimeOffset ChangedAt);

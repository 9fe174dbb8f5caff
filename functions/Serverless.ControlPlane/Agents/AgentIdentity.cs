namespace Serverless.ControlPlane.Agents;

/// <summary>Who an authenticated uplink call comes from.</summary>
public sealed record AgentIdentity(string TenantId, string AgentId, string AgentGroup, string CredentialId);

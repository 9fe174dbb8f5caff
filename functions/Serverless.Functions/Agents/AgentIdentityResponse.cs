namespace Serverless.Functions.Agents;

/// <summary>Who the control plane takes an agent's credential for; <c>relay-agent check</c> compares it with the agent's configuration.</summary>
public sealed record AgentIdentityResponse(string TenantId, string AgentId, string AgentGroup, string CredentialId, string QueueName);

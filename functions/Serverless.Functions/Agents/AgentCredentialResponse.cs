namespace Serverless.Functions.Agents;

/// <summary>A newly issued credential; <see cref="Token"/> is the only copy of the secret.</summary>
public sealed record AgentCredentialResponse(string CredentialId, string TenantId, string AgentId, string AgentGroup, DateTimeOffset CreatedAt, string Token);

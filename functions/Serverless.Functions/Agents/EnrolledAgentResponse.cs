namespace Serverless.Functions.Agents;

/// <summary>What an enrolling agent needs: who it is, where its commands come from, and its credential (shown once).</summary>
public sealed record EnrolledAgentResponse(string TenantId, string AgentId, string AgentGroup, string QueueName, string CredentialId, string Token);

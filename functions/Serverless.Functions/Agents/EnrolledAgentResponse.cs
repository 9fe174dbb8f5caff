namespace Serverless.Functions.Agents;

/// <summary>
/// What an enrolling agent needs: who it is, where its commands come from, its credential (shown once) and, when the
/// control plane keeps one for the tenant, the Listen-only Service Bus connection of its queue.
/// </summary>
public sealed record EnrolledAgentResponse(string TenantId, string AgentId, string AgentGroup, string QueueName, string CredentialId, string Token, string? ServiceBusConnection);

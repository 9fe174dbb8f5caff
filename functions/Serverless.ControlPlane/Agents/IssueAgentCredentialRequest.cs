namespace Serverless.ControlPlane.Agents;

/// <summary>Body of <c>POST /api/v1/agents/credentials</c>.</summary>
public sealed record IssueAgentCredentialRequest(string? AgentId, string? AgentGroup);

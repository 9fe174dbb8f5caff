namespace Serverless.Functions.Agents;

/// <summary>A revoked credential: it stopped working at <see cref="RevokedAt"/>.</summary>
public sealed record RevokedCredentialResponse(string CredentialId, string AgentId, string AgentGroup, DateTimeOffset RevokedAt);

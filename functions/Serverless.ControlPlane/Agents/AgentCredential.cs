namespace Serverless.ControlPlane.Agents;

/// <summary>
/// A relay agent's uplink credential as stored: only a hash of the secret is kept. The agent presents
/// <c>Authorization: Bearer sa1.{CredentialId}.{secret}</c>.
/// </summary>
public sealed record AgentCredential(
    string CredentialId,
    string TenantId,
    string AgentId,
    string AgentGroup,
    string SecretHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt);

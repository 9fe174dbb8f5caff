namespace Serverless.ControlPlane.Agents;

/// <summary>A new credential and the token that carries its secret; the token is shown once.</summary>
public sealed record IssuedAgentCredential(AgentCredential Credential, string Token);

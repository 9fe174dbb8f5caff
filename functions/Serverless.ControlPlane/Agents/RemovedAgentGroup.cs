namespace Serverless.ControlPlane.Agents;

/// <summary>What removing an agent group did.</summary>
public sealed record RemovedAgentGroup(string Zone, int RevokedCredentials, DateTimeOffset RemovedAt);

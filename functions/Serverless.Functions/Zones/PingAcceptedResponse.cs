namespace Serverless.Functions.Zones;

/// <summary>The answer to a ping request: where to follow the operation.</summary>
public sealed record PingAcceptedResponse(string OperationId, string Zone, string AgentGroup, string OperationUrl);

namespace Serverless.Functions.Instances;

/// <summary>A launch or an action accepted: follow <see cref="OperationUrl"/>.</summary>
public sealed record InstanceOperationAcceptedResponse(string OperationId, string Name, string OperationUrl);

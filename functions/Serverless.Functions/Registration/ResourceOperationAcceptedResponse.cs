namespace Serverless.Functions.Registration;

/// <summary>The answer to a registration or unregistration: where to follow the operation.</summary>
public sealed record ResourceOperationAcceptedResponse(string OperationId, string ResourceId, string OperationUrl);

namespace Serverless.Functions.Registration;

public sealed record RegistrationAcceptedResponse(string OperationId, string ResourceId, string OperationUrl);

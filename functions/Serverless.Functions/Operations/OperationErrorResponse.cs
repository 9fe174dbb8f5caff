namespace Serverless.Functions.Operations;

public sealed record OperationErrorResponse(string Type, string Message);

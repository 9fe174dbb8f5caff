namespace Serverless.Functions.Registration;

public sealed record ResourceInstancesResponse(string ResourceId, IReadOnlyList<ResourceInstanceResponse> Items);

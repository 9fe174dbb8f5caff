namespace Serverless.Functions.Registration;

public sealed record ResourceListResponse(IReadOnlyList<ResourceResponse> Items, string? ContinuationToken);

namespace Serverless.Functions.Instances;

public sealed record InstanceListResponse(IReadOnlyList<InstanceResponse> Items, string? ContinuationToken);

namespace Serverless.Functions.Pools;

public sealed record PoolEventListResponse(IReadOnlyList<PoolEventResponse> Items, string? ContinuationToken);

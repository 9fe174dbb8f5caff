namespace Serverless.Functions.Pools;

public sealed record PoolListResponse(IReadOnlyList<PoolResponse> Items, string? ContinuationToken);

namespace Serverless.Functions.Operations;

/// <summary>A page of operations; items leave their results out (read one operation for its result).</summary>
public sealed record OperationListResponse(IReadOnlyList<OperationResponse> Items, string? ContinuationToken);

namespace Serverless.Functions.Health;

public sealed record DependencyHealthResponse(string Status, long DurationMs, string? Error);

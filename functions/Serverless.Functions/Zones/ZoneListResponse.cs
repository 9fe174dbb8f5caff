namespace Serverless.Functions.Zones;

public sealed record ZoneListResponse(IReadOnlyList<ZoneResponse> Items, string? ContinuationToken);

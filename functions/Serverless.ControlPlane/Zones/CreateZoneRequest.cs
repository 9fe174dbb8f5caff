namespace Serverless.ControlPlane.Zones;

/// <summary>The body of <c>POST /api/v1/zones</c>; every field is nullable so validation can name what is missing.</summary>
public sealed record CreateZoneRequest(string? Name, ZoneKind? Kind, string? Site);

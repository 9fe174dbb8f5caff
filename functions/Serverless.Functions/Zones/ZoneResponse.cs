using Serverless.ControlPlane.Zones;

namespace Serverless.Functions.Zones;

public sealed record ZoneResponse(string Name, ZoneKind Kind, string? Site, DateTimeOffset CreatedAt)
{
    public static ZoneResponse From(Zone zone) => new(zone.Name, zone.Kind, zone.Site, zone.CreatedAt);
}

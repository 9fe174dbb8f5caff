namespace Serverless.ControlPlane.Zones;

/// <summary>A placement target: every resource, instance and pool member lives in exactly one zone.</summary>
public sealed record Zone(string TenantId, string Name, ZoneKind Kind, string? Site, DateTimeOffset CreatedAt)
{
    /// <summary>The relay agents of a zone form one agent group, named after the zone: one command session per zone.</summary>
    public string AgentGroup => Name;
}

namespace Serverless.ControlPlane.Instances;

/// <summary>The body of <c>POST /api/v1/instances</c>; the same in a provider zone and a client zone.</summary>
/// <param name="Name">The instance's name, unique in the tenant (also its domain's name on the host).</param>
/// <param name="Zone">One zone to launch in, or <paramref name="ZoneSelector"/>.</param>
/// <param name="ZoneSelector">Zones to choose from.</param>
/// <param name="Size">vCPUs and memory.</param>
/// <param name="Image">An image a host in the zones offers.</param>
/// <param name="Placement">Anti-affinity and spread.</param>
/// <param name="Tags">Labels to select instances by (batch actions, list filters).</param>
/// <param name="ClientRequestId">
/// The caller's id for this launch: the same request sent again with it answers the same operation instead of a conflict.
/// </param>
public sealed record LaunchInstanceRequest(
    string? Name,
    string? Zone,
    ZoneSelector? ZoneSelector,
    InstanceSize? Size,
    string? Image,
    InstancePlacement? Placement,
    IReadOnlyDictionary<string, string>? Tags,
    string? ClientRequestId);

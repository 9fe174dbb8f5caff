namespace Serverless.ControlPlane.Registration;

/// <summary>The body of <c>POST /api/v1/resources</c>.</summary>
/// <param name="Endpoint">A libvirt URI for a virtualization host; <c>host[:port]</c> for an SNMP appliance.</param>
public sealed record RegisterResourceRequest(
    string? Name,
    string? Zone,
    ResourceKind? Kind,
    string? Endpoint,
    string? DeviceProfile,
    IReadOnlyList<string>? ServiceCategories);

namespace Serverless.ControlPlane.Registration;

/// <summary>The body of <c>POST /api/v1/resources</c>.</summary>
/// <param name="Name">The resource's name, unique in the tenant.</param>
/// <param name="Zone">The zone whose agent group verifies and later manages it.</param>
/// <param name="Kind">A virtualization host or an SNMP appliance.</param>
/// <param name="Endpoint">A libvirt URI for a virtualization host; <c>host[:port]</c> for an SNMP appliance.</param>
/// <param name="DeviceProfile">The appliance's device profile (SNMP appliances only).</param>
/// <param name="Credential">The name of the SNMP credential the zone's agent holds for the appliance (SNMP appliances only).</param>
/// <param name="Members">Member indexes to check the profile's member OIDs at (SNMP appliances only, optional).</param>
/// <param name="ServiceCategories">What the resource should serve, for example <c>compute</c>, <c>migration</c>, <c>load-balancer</c>.</param>
/// <param name="VerificationTimeoutSeconds">How long to wait for the agent's verification; the configured default when absent.</param>
public sealed record RegisterResourceRequest(
    string? Name,
    string? Zone,
    ResourceKind? Kind,
    string? Endpoint,
    string? DeviceProfile,
    IReadOnlyList<string>? ServiceCategories,
    string? Credential = null,
    IReadOnlyList<string>? Members = null,
    int? VerificationTimeoutSeconds = null);

namespace Serverless.Contracts.Instances;

/// <summary>
/// <c>resource.uninstall</c>: the control plane no longer manages this resource; the agent releases what it holds for
/// it (an open libvirt connection, SNMP engine and counter state). Give exactly one of the two.
/// </summary>
/// <param name="ResourceId">The resource being unregistered.</param>
/// <param name="LibvirtUri">A virtualization host's libvirt URI.</param>
/// <param name="SnmpAddress">An SNMP appliance's host[:port].</param>
public sealed record ResourceUninstallPayload(string ResourceId, string? LibvirtUri = null, string? SnmpAddress = null);

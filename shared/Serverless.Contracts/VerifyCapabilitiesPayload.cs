using Serverless.Contracts.Snmp;

namespace Serverless.Contracts;

/// <summary>Payload of <c>capabilities.verify</c>: exactly one of the sections; the output is a <see cref="CapabilityVerificationResult"/>.</summary>
/// <param name="Snmp">An SNMP appliance to verify against a device profile.</param>
/// <param name="Libvirt">A virtualization host to verify through libvirt.</param>
public sealed record VerifyCapabilitiesPayload(SnmpVerification? Snmp, LibvirtVerification? Libvirt = null);

namespace Serverless.Contracts.Snmp;

/// <summary>Payload of <c>capabilities.verify</c>; the output is a <see cref="CapabilityVerificationResult"/>.</summary>
/// <param name="Snmp">An SNMP appliance to verify against a device profile.</param>
public sealed record VerifyCapabilitiesPayload(SnmpVerification? Snmp);

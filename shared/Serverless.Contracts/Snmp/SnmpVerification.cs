namespace Serverless.Contracts.Snmp;

/// <summary>
/// Verify an SNMP appliance: reachable with the credential, system group readable, every OID the profile reads
/// readable, and every OID it writes writable (checked by setting the current value back, so nothing changes).
/// </summary>
/// <param name="Device">The appliance.</param>
/// <param name="Profile">The device profile it should serve.</param>
/// <param name="Members">Member indexes to check the profile's <c>{member}</c> OIDs at; the profile's member OIDs are not checked when empty.</param>
public sealed record SnmpVerification(SnmpDevice Device, string Profile, IReadOnlyList<string>? Members = null);

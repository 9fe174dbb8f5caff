namespace Serverless.Contracts.Snmp;

/// <summary>A member managed through an SNMP appliance: the appliance, its device profile and the member's index.</summary>
/// <param name="Device">The appliance.</param>
/// <param name="Profile">Name of a device profile the agent knows, for example <c>simulated-load-balancer</c>.</param>
/// <param name="Index">The member's index arcs in the profile's <c>{member}</c> OIDs (for example <c>3</c> or <c>1.4</c>); none when the device itself is the member.</param>
public sealed record SnmpMember(SnmpDevice Device, string Profile, string? Index = null);

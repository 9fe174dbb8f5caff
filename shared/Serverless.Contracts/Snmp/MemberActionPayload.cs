namespace Serverless.Contracts.Snmp;

/// <summary>Payload of <c>member.activate</c> and <c>member.deactivate</c>.</summary>
/// <param name="ResourceId">The pool member, echoed in the output.</param>
/// <param name="Snmp">The member behind an SNMP appliance: the profile's activate or deactivate sets are applied.</param>
public sealed record MemberActionPayload(string ResourceId, SnmpMember? Snmp);

namespace Serverless.Contracts.Snmp;

/// <summary>One member to poll.</summary>
/// <param name="ResourceId">The member; its samples carry this id.</param>
/// <param name="Snmp">Where and how to read it: the profile's load metrics at the member's index.</param>
public sealed record MetricsPollTarget(string ResourceId, SnmpMember Snmp);

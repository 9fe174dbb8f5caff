using Serverless.Contracts.Instances;

namespace Serverless.Contracts.Snmp;

/// <summary>One member to poll: give exactly one of <paramref name="Snmp"/> and <paramref name="Instance"/>.</summary>
/// <param name="ResourceId">The member; its samples carry this id.</param>
/// <param name="Snmp">A member behind an appliance: the profile's load metrics at the member's index.</param>
/// <param name="Instance">
/// An instance on a host: <c>cpu.utilization</c> (CPU time per second per virtual CPU, from the second poll on) and
/// <c>memory.kib</c>, while it runs.
/// </param>
public sealed record MetricsPollTarget(string ResourceId, SnmpMember? Snmp, InstanceTarget? Instance = null);

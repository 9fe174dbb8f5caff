using Serverless.Contracts.Snmp;
using Serverless.Snmp;
using Serverless.Snmp.Profiles;

namespace Serverless.RelayAgent.Snmp;

/// <summary>Targets checked and resolved to OIDs once, grouped by device, ready to be polled any number of times.</summary>
/// <param name="Devices">The devices to read, each with its members and the distinct OIDs they need.</param>
/// <param name="Refused">Targets that cannot be polled at all (unknown profile, bad index), with the reason.</param>
public sealed record MetricsPollPlan(IReadOnlyList<MetricsPollPlan.DeviceReads> Devices, IReadOnlyList<MetricsPollFailure> Refused)
{
    /// <summary>One device: its members, and the OIDs of all of them.</summary>
    public sealed record DeviceReads(SnmpDevice Device, IReadOnlyList<MemberReads> Members, IReadOnlyList<Oid> Oids);

    /// <summary>One member: the profile's load metrics at its index.</summary>
    public sealed record MemberReads(string ResourceId, IReadOnlyList<(LoadMetric Metric, Oid Oid)> Metrics);
}

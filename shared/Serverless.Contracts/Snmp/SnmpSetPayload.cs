namespace Serverless.Contracts.Snmp;

/// <summary>Payload of <c>snmp.set</c>: one SET of all the bindings, which the device applies all or none.</summary>
/// <param name="Device">The agent to change.</param>
/// <param name="Bindings">What to set, at most <see cref="SnmpGetPayload.MaxOids"/>.</param>
public sealed record SnmpSetPayload(SnmpDevice Device, IReadOnlyList<SnmpBinding> Bindings);

namespace Serverless.Contracts.Snmp;

/// <summary>Output of <c>snmp.get</c>, <c>snmp.set</c> and <c>snmp.walk</c>: the bindings as the device answered them.</summary>
/// <param name="Bindings">In the order of the request (get, set) or of the tree (walk).</param>
/// <param name="Truncated">True when a walk stopped at its maximum before the subtree ended.</param>
public sealed record SnmpBindingsOutput(IReadOnlyList<SnmpBinding> Bindings, bool Truncated = false);

namespace Serverless.Contracts.Snmp;

/// <summary>Payload of <c>snmp.walk</c>: every binding under a subtree, with GETBULK (GETNEXT for SNMPv1).</summary>
/// <param name="Device">The agent to walk.</param>
/// <param name="Root">The subtree's OID.</param>
/// <param name="MaxBindings">Stop after this many bindings (default and limit <see cref="Limit"/>); the output says when it stopped early.</param>
public sealed record SnmpWalkPayload(SnmpDevice Device, string Root, int? MaxBindings = null)
{
    /// <summary>The most bindings one walk returns.</summary>
    public const int Limit = 10_000;
}

namespace Serverless.Contracts.Snmp;

/// <summary>Payload of <c>snmp.get</c>: one GET of all the OIDs.</summary>
/// <param name="Device">The agent to ask.</param>
/// <param name="Oids">Numeric OIDs, at most <see cref="MaxOids"/>.</param>
public sealed record SnmpGetPayload(SnmpDevice Device, IReadOnlyList<string> Oids)
{
    /// <summary>The most OIDs one command may read.</summary>
    public const int MaxOids = 100;
}

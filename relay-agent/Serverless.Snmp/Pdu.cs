namespace Serverless.Snmp;

/// <summary>
/// A PDU. For GetBulk, <see cref="ErrorStatus"/> and <see cref="ErrorIndex"/> carry non-repeaters and max-repetitions,
/// as on the wire; use <see cref="GetBulk"/> to build one.
/// </summary>
public sealed record Pdu(PduType Type, int RequestId, int ErrorStatusValue, int ErrorIndex, IReadOnlyList<VarBind> VarBinds)
{
    public ErrorStatus ErrorStatus => (ErrorStatus)ErrorStatusValue;

    public static Pdu Get(IReadOnlyList<Oid> oids) => new(PduType.GetRequest, 0, 0, 0, oids.Select(VarBind.Request).ToList());

    public static Pdu GetNext(IReadOnlyList<Oid> oids) => new(PduType.GetNextRequest, 0, 0, 0, oids.Select(VarBind.Request).ToList());

    public static Pdu GetBulk(int nonRepeaters, int maxRepetitions, IReadOnlyList<Oid> oids) =>
        new(PduType.GetBulkRequest, 0, nonRepeaters, maxRepetitions, oids.Select(VarBind.Request).ToList());

    public static Pdu Set(IReadOnlyList<VarBind> bindings) => new(PduType.SetRequest, 0, 0, 0, bindings);

    internal void Write(BerWriter writer)
    {
        writer.Push((byte)Type);
        writer.WriteInteger((byte)SnmpType.Integer32, RequestId);
        writer.WriteInteger((byte)SnmpType.Integer32, ErrorStatusValue);
        writer.WriteInteger((byte)SnmpType.Integer32, ErrorIndex);
        writer.Push(0x30);
        foreach (var binding in VarBinds)
        {
            writer.Push(0x30);
            writer.WriteOid(binding.Oid);
            writer.WriteSnmpValue(binding.Value);
            writer.Pop();
        }

        writer.Pop();
        writer.Pop();
    }

    internal static Pdu Read(ref BerReader reader)
    {
        var content = reader.ReadAny("PDU", out var tag);
        if (!Enum.IsDefined((PduType)tag))
        {
            throw new SnmpDecodeException($"PDU: unknown PDU tag 0x{tag:X2}");
        }

        var pdu = new BerReader(content);
        var requestId = BerReader.DecodeInt32(pdu.ReadTagged((byte)SnmpType.Integer32, "request-id"), "request-id");
        var errorStatus = BerReader.DecodeInt32(pdu.ReadTagged((byte)SnmpType.Integer32, "error-status"), "error-status");
        var errorIndex = BerReader.DecodeInt32(pdu.ReadTagged((byte)SnmpType.Integer32, "error-index"), "error-index");
        var list = pdu.ReadConstructed(0x30, "variable-bindings");
        var bindings = new List<VarBind>();
        while (!list.AtEnd)
        {
            // Context for the message is built only on failure: decoding is on the polling hot path.
            try
            {
                var binding = list.ReadConstructed(0x30, "variable-binding");
                var oid = BerReader.DecodeOid(binding.ReadTagged((byte)SnmpType.ObjectIdentifier, "name"), "name");
                bindings.Add(new VarBind(oid, binding.ReadSnmpValue("value")));
            }
            catch (SnmpDecodeException exception)
            {
                throw new SnmpDecodeException($"variable-binding {bindings.Count + 1}: {exception.Message}");
            }
        }

        return new Pdu((PduType)tag, requestId, errorStatus, errorIndex, bindings);
    }
}

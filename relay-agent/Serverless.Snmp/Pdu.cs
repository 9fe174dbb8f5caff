namespace Serverless.Snmp;

/// <summary>The PDU kinds of SNMPv1/v2c/v3 (their BER context tags).</summary>
public enum PduType : byte
{
    GetRequest = 0xA0,
    GetNextRequest = 0xA1,
    Response = 0xA2,
    SetRequest = 0xA3,
    GetBulkRequest = 0xA5,
    InformRequest = 0xA6,
    TrapV2 = 0xA7,
    Report = 0xA8,
}

/// <summary>The error-status of a response (RFC 3416), with 0 meaning none.</summary>
public enum ErrorStatus
{
    NoError = 0,
    TooBig = 1,
    NoSuchName = 2,
    BadValue = 3,
    ReadOnly = 4,
    GenErr = 5,
    NoAccess = 6,
    WrongType = 7,
    WrongLength = 8,
    WrongEncoding = 9,
    WrongValue = 10,
    NoCreation = 11,
    InconsistentValue = 12,
    ResourceUnavailable = 13,
    CommitFailed = 14,
    UndoFailed = 15,
    AuthorizationError = 16,
    NotWritable = 17,
    InconsistentName = 18,
}

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

/// <summary>SNMP versions on the wire.</summary>
public enum SnmpVersion
{
    V1 = 0,
    V2c = 1,
    V3 = 3,
}

/// <summary>An SNMPv1 or v2c message: version, community and PDU.</summary>
public sealed record CommunityMessage(SnmpVersion Version, string Community, Pdu Pdu)
{
    public byte[] Encode()
    {
        var writer = new BerWriter();
        writer.Push(0x30);
        writer.WriteInteger((byte)SnmpType.Integer32, (int)Version);
        writer.WriteValue((byte)SnmpType.OctetString, System.Text.Encoding.UTF8.GetBytes(Community));
        Pdu.Write(writer);
        writer.Pop();
        return writer.Written.ToArray();
    }

    public static CommunityMessage Decode(ReadOnlySpan<byte> datagram)
    {
        var outer = new BerReader(datagram);
        var message = outer.ReadConstructed(0x30, "message");
        var version = (SnmpVersion)message.ReadInteger("version");
        if (version is not (SnmpVersion.V1 or SnmpVersion.V2c))
        {
            throw new SnmpDecodeException($"version: {(int)version} is not a community-based version");
        }

        var community = System.Text.Encoding.UTF8.GetString(message.ReadTagged((byte)SnmpType.OctetString, "community"));
        return new CommunityMessage(version, community, Pdu.Read(ref message));
    }
}

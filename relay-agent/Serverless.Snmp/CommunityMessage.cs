namespace Serverless.Snmp;

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

namespace Serverless.Snmp.Tests;

public sealed class BerTests
{
    // A v2c GET of sysUpTime.0 with community "public" and request id 1, as net-snmp's snmpget sends it.
    private static readonly byte[] GetSysUpTime = Convert.FromHexString("302602010104067075626C6963A01902010102010002010030" + "0E300C06082B060102010103000500");

    [Fact]
    public void A_get_request_encodes_byte_for_byte_as_net_snmp_does()
    {
        var message = new CommunityMessage(SnmpVersion.V2c, "public", Pdu.Get([Oid.Parse("1.3.6.1.2.1.1.3.0")]) with { RequestId = 1 });

        Assert.Equal(Convert.ToHexString(GetSysUpTime), Convert.ToHexString(message.Encode()));
    }

    [Fact]
    public void Every_SMIv2_type_round_trips()
    {
        var bindings = new List<VarBind>
        {
            new(Oid.Parse("1.3.6.1.1"), SnmpValue.Integer32(int.MinValue)),
            new(Oid.Parse("1.3.6.1.2"), SnmpValue.Integer32(-129)),
            new(Oid.Parse("1.3.6.1.3"), SnmpValue.Integer32(128)),
            new(Oid.Parse("1.3.6.1.4"), SnmpValue.OctetString("héllo")),
            new(Oid.Parse("1.3.6.1.5"), SnmpValue.ObjectIdentifier(Oid.Parse("2.999.4294967295.0"))),
            new(Oid.Parse("1.3.6.1.6"), SnmpValue.IpAddress(System.Net.IPAddress.Parse("10.0.0.254"))),
            new(Oid.Parse("1.3.6.1.7"), SnmpValue.Counter32(uint.MaxValue)),
            new(Oid.Parse("1.3.6.1.8"), SnmpValue.Gauge32(0)),
            new(Oid.Parse("1.3.6.1.9"), SnmpValue.TimeTicks(123456)),
            new(Oid.Parse("1.3.6.1.10"), SnmpValue.Opaque([0x9f, 0x78, 0x04, 0x3f, 0x80, 0x00, 0x00])),
            new(Oid.Parse("1.3.6.1.11"), SnmpValue.Counter64(ulong.MaxValue)),
            new(Oid.Parse("1.3.6.1.12"), SnmpValue.NoSuchObject),
            new(Oid.Parse("1.3.6.1.13"), SnmpValue.NoSuchInstance),
            new(Oid.Parse("1.3.6.1.14"), SnmpValue.EndOfMibView),
            new(Oid.Parse("1.3.6.1.15"), SnmpValue.Null),
        };
        var original = new CommunityMessage(SnmpVersion.V2c, "private", new Pdu(PduType.Response, 77, 0, 0, bindings));

        var decoded = CommunityMessage.Decode(original.Encode());

        Assert.Equal(original.Community, decoded.Community);
        Assert.Equal(77, decoded.Pdu.RequestId);
        Assert.Equal(bindings, decoded.Pdu.VarBinds);
    }

    [Theory]
    [InlineData("30", "truncated")]
    [InlineData("3080020101", "indefinite")]
    [InlineData("302602010104067075626C6963A01902010102010002010030", "overrun")]
    [InlineData("3006020103040170", "not a community-based version")]
    [InlineData("300F020101040170A30702010102010002", "truncated")]
    public void Malformed_messages_are_refused_with_a_precise_error(string hex, string expected)
    {
        var error = Assert.Throws<SnmpDecodeException>(() => CommunityMessage.Decode(Convert.FromHexString(hex)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.3.6.1.2.1.1.1.0", "2B06010201010100")]
    [InlineData("1.3.6.1.4.1.2021.10.1.3.1", "2B060104018F650A010301")]
    [InlineData("2.999.3", "883703")]
    public void Oids_encode_with_base_128_arcs(string oid, string contentHex)
    {
        var message = new CommunityMessage(SnmpVersion.V2c, "c", Pdu.Get([Oid.Parse(oid)]));
        Assert.Contains(contentHex, Convert.ToHexString(message.Encode()), StringComparison.Ordinal);
    }

    [Fact]
    public void Oids_order_as_in_the_MIB()
    {
        Assert.True(Oid.Parse("1.3.6.1.2.1.1.9") < Oid.Parse("1.3.6.1.2.1.1.10"));
        Assert.True(Oid.Parse("1.3.6.1.2.1.1") < Oid.Parse("1.3.6.1.2.1.1.0"));
        Assert.True(Oid.Parse("1.3.6.1.2.1.1.1.0").IsChildOf(Oid.Parse("1.3.6.1.2.1.1")));
        Assert.Throws<FormatException>(() => Oid.Parse("1.3.six"));
        Assert.Throws<ArgumentException>(() => Oid.Parse("3.1"));
    }
}

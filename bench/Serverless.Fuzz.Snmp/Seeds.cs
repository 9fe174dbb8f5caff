using System.Net;
using Serverless.Snmp;

namespace Serverless.Fuzz.Snmp;

/// <summary>The starting corpus: valid messages of every version, security level, PDU type and value type, from our encoder.</summary>
internal static class Seeds
{
    public static IEnumerable<(string Name, byte[] Bytes)> All()
    {
        List<VarBind> bindings =
        [
            new(Oid.Parse("1.3.6.1.2.1.1.1.0"), SnmpValue.OctetString("Linux lb-1")),
            new(Oid.Parse("1.3.6.1.2.1.1.2.0"), SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.4.1.8072.3.2.10"))),
            new(Oid.Parse("1.3.6.1.2.1.1.3.0"), SnmpValue.TimeTicks(12345)),
            new(Oid.Parse("1.3.6.1.2.1.2.2.1.7.1"), SnmpValue.Integer32(-2)),
            new(Oid.Parse("1.3.6.1.2.1.4.20.1.1.10.0.0.1"), SnmpValue.IpAddress(IPAddress.Parse("10.0.0.1"))),
            new(Oid.Parse("1.3.6.1.2.1.2.2.1.10.1"), SnmpValue.Counter32(uint.MaxValue)),
            new(Oid.Parse("1.3.6.1.2.1.2.2.1.5.1"), SnmpValue.Gauge32(1_000_000_000)),
            new(Oid.Parse("1.3.6.1.2.1.31.1.1.1.6.2"), SnmpValue.Counter64(ulong.MaxValue)),
            new(Oid.Parse("1.3.6.1.4.1.2021.10.1.6.1"), SnmpValue.Opaque([0x9F, 0x78, 0x04, 0x3E, 0x19, 0x99, 0x9A])),
            new(Oid.Parse("1.3.6.1.2.1.1.9.0"), SnmpValue.NoSuchInstance),
            new(Oid.Parse("1.3.6.1.2.1.1.8.0"), SnmpValue.NoSuchObject),
            new(Oid.Parse("1.3.6.1.2.1.99"), SnmpValue.EndOfMibView),
        ];
        yield return ("v2c-response", new CommunityMessage(SnmpVersion.V2c, "public", new Pdu(PduType.Response, 42, 0, 0, bindings)).Encode());
        yield return ("v2c-error", new CommunityMessage(SnmpVersion.V2c, "public", new Pdu(PduType.Response, 43, (int)ErrorStatus.NotWritable, 1, bindings[..1])).Encode());
        yield return ("v1-set", new CommunityMessage(SnmpVersion.V1, "private", Pdu.Set([bindings[3]]) with { RequestId = 7 }).Encode());
        yield return ("v2c-getbulk", new CommunityMessage(SnmpVersion.V2c, "public", Pdu.GetBulk(0, 25, [bindings[0].Oid]) with { RequestId = 8 }).Encode());

        var engine = new EngineState(Convert.FromHexString("80001F8880C71100000000000000000000"), 3, 1000, 0);
        var sha = new UsmUser("shauser", AuthProtocol.Sha1, "sha-auth-pass");
        var priv = new UsmUser("privuser", AuthProtocol.Sha256, "sha256-auth-pass", PrivProtocol.Aes128, "aes-priv-pass-1");
        var shaKey = Usm.LocalizeKey(AuthProtocol.Sha1, "sha-auth-pass", engine.EngineId);
        var sha256Key = Usm.LocalizeKey(AuthProtocol.Sha256, "sha256-auth-pass", engine.EngineId);
        var privKey = Usm.LocalizeKey(AuthProtocol.Sha256, "aes-priv-pass-1", engine.EngineId);
        yield return ("v3-noauth", V3Message.Encode(9, new UsmUser("noauth"), engine, null, null, 1, string.Empty, new Pdu(PduType.Response, 44, 0, 0, bindings)));
        yield return ("v3-auth", V3Message.Encode(10, sha, engine, shaKey, null, 2, "ctx", new Pdu(PduType.Response, 45, 0, 0, bindings)));
        yield return ("v3-priv", V3Message.Encode(11, priv, engine, sha256Key, privKey, 3, string.Empty, new Pdu(PduType.Response, 46, 0, 0, bindings)));
        yield return ("v3-report", V3Message.Encode(12, new UsmUser(string.Empty), engine, null, null, 4, string.Empty,
            new Pdu(PduType.Report, 47, 0, 0, [new VarBind(V3Message.UsmStats.Append(4, 0), SnmpValue.Counter32(1))])));
    }
}

using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Serverless.Snmp;

namespace Serverless.Bench.Snmp;

/// <summary>What one PDU costs to encode and decode: a one-OID request and a ten-binding response, v2c and v3 authPriv.</summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, warmupCount: 3, iterationCount: 10)]
public class CodecBenchmarks
{
    private static readonly EngineState Engine = new(Convert.FromHexString("80001F8880C71100000000000000000000"), 3, 1000, Environment.TickCount64);
    private static readonly UsmUser User = new("benchuser", AuthProtocol.Sha256, "sha256-auth-pass", PrivProtocol.Aes128, "aes-priv-pass-1");
    private readonly byte[] _authKey = Usm.LocalizeKey(AuthProtocol.Sha256, "sha256-auth-pass", Engine.EngineId);
    private readonly byte[] _privKey = Usm.LocalizeKey(AuthProtocol.Sha256, "aes-priv-pass-1", Engine.EngineId);
    private CommunityMessage _request = null!;
    private CommunityMessage _response = null!;
    private Pdu _responsePdu = null!;
    private byte[] _responseBytes = null!;
    private byte[] _v3ResponseBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _request = new CommunityMessage(SnmpVersion.V2c, "public", Pdu.Get([Oid.Parse("1.3.6.1.2.1.1.3.0")]) with { RequestId = 4711 });
        var bindings = Enumerable.Range(1, 10).Select(i => (i % 3) switch
        {
            0 => new VarBind(Oid.Parse($"1.3.6.1.2.1.31.1.1.1.6.{i}"), SnmpValue.Counter64((ulong)i << 40)),
            1 => new VarBind(Oid.Parse($"1.3.6.1.2.1.2.2.1.2.{i}"), SnmpValue.OctetString($"eth{i}")),
            _ => new VarBind(Oid.Parse($"1.3.6.1.4.1.8072.9999.1.4.1.1.{i}"), SnmpValue.IpAddress(IPAddress.Parse($"10.0.0.{i}"))),
        }).ToList();
        _responsePdu = new Pdu(PduType.Response, 4711, 0, 0, bindings);
        _response = new CommunityMessage(SnmpVersion.V2c, "public", _responsePdu);
        _responseBytes = _response.Encode();
        _v3ResponseBytes = V3Message.Encode(42, User, Engine, _authKey, _privKey, 7, string.Empty, _responsePdu);
    }

    [Benchmark]
    public byte[] EncodeV2cGet() => _request.Encode();

    [Benchmark]
    public byte[] EncodeV2cResponse10() => _response.Encode();

    [Benchmark]
    public CommunityMessage DecodeV2cResponse10() => CommunityMessage.Decode(_responseBytes);

    [Benchmark]
    public byte[] EncodeV3AuthPrivResponse10() => V3Message.Encode(42, User, Engine, _authKey, _privKey, 7, string.Empty, _responsePdu);

    [Benchmark]
    public bool DecodeV3AuthPrivResponse10()
    {
        var message = V3Message.Decode(_v3ResponseBytes, _privKey);
        return V3Message.IsAuthentic(_v3ResponseBytes, message, AuthProtocol.Sha256, _authKey);
    }
}

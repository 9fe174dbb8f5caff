using System.Net;
using System.Net.Sockets;
using Serverless.Testing;

namespace Serverless.Snmp.Tests;

/// <summary>The client against a real net-snmp agent.</summary>
public sealed class SnmpdTests : IAsyncLifetime
{
    private static readonly Oid SysDescr = Oid.Parse("1.3.6.1.2.1.1.1.0");
    private static readonly Oid SysUpTime = Oid.Parse("1.3.6.1.2.1.1.3.0");
    private static readonly Oid SysContact = Oid.Parse("1.3.6.1.2.1.1.4.0");
    private static readonly Oid SysName = Oid.Parse("1.3.6.1.2.1.1.5.0");
    private static readonly Oid System = Oid.Parse("1.3.6.1.2.1.1");
    private const string UsmConfig = """
        createUser noauthuser
        createUser shauser SHA "sha-auth-pass"
        createUser sha256priv SHA-256 "sha256-auth-pass" AES "aes-priv-pass-1"
        createUser shapriv SHA "sha-auth-pass-2" AES "aes-priv-pass-2"
        rouser noauthuser noauth
        rouser shapriv priv
        rwuser shauser auth
        rwuser sha256priv priv
        """;

    private SnmpdProcess _snmpd = null!;
    private SnmpClient _client = null!;

    private CommunityTarget Read => new(_snmpd.EndPoint, SnmpdProcess.ReadCommunity);

    private CommunityTarget Write => new(_snmpd.EndPoint, SnmpdProcess.WriteCommunity);

    public async Task InitializeAsync()
    {
        _snmpd = await SnmpdProcess.StartAsync(UsmConfig);
        // Generous per try: the machine runs other test assemblies in parallel.
        _client = new SnmpClient(new SnmpClientOptions(TimeSpan.FromSeconds(2), 1));
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _snmpd.DisposeAsync();
    }

    [Fact]
    public async Task Get_returns_typed_values_and_missing_objects_as_data()
    {
        var result = await _client.GetAsync(Read, [SysDescr, SysUpTime, Oid.Parse("1.3.6.1.2.1.1.99.0"), Oid.Parse("1.3.6.1.2.1.1.1.5")]);

        Assert.Equal(SnmpType.OctetString, result[0].Value.Type);
        Assert.Contains("Linux", result[0].Value.AsString(), StringComparison.Ordinal);
        Assert.Equal(SnmpType.TimeTicks, result[1].Value.Type);
        Assert.Equal(SnmpType.NoSuchObject, result[2].Value.Type);
        Assert.Equal(SnmpType.NoSuchInstance, result[3].Value.Type);
    }

    [Fact]
    public async Task A_walk_of_the_system_group_matches_getnext_order_and_stays_in_the_subtree()
    {
        var walked = new List<VarBind>();
        await foreach (var binding in _client.WalkAsync(Read, System, maxRepetitions: 3))
        {
            walked.Add(binding);
        }

        Assert.True(walked.Count >= 7, string.Join('\n', walked));
        Assert.All(walked, b => Assert.True(b.Oid.IsChildOf(System)));
        Assert.Equal(walked.OrderBy(b => b.Oid).Select(b => b.Oid), walked.Select(b => b.Oid));
        Assert.Equal(SysDescr, walked[0].Oid);

        var v1 = new List<VarBind>();
        await foreach (var binding in _client.WalkAsync(Read with { Version = SnmpVersion.V1 }, System))
        {
            v1.Add(binding);
        }

        Assert.Equal(walked.Select(b => b.Oid), v1.Select(b => b.Oid));
    }

    [Fact]
    public async Task Set_changes_a_writable_object_and_errors_come_back_typed_with_their_index()
    {
        var contact = $"ops-{Guid.NewGuid():N}@example.net";
        await _client.SetAsync(Write, [new VarBind(SysContact, SnmpValue.OctetString(contact))]);
        Assert.Equal(contact, (await _client.GetAsync(Read, [SysContact]))[0].Value.AsString());

        var wrongType = await Assert.ThrowsAsync<SnmpErrorException>(() =>
            _client.SetAsync(Write, [new VarBind(SysName, SnmpValue.OctetString("ok")), new VarBind(SysContact, SnmpValue.Integer32(5))]));
        Assert.Equal(ErrorStatus.WrongType, wrongType.Status);
        Assert.Equal(2, wrongType.Index);
        Assert.Equal(SysContact, wrongType.Binding!.Oid);

        var readOnly = await Assert.ThrowsAsync<SnmpErrorException>(() => _client.SetAsync(Write, [new VarBind(SysDescr, SnmpValue.OctetString("x"))]));
        Assert.Equal(ErrorStatus.NotWritable, readOnly.Status);
        Assert.Equal(1, readOnly.Index);
    }

    [Fact]
    public async Task A_wrong_community_gets_no_answer_and_ends_in_a_timeout_after_the_retries()
    {
        var error = await Assert.ThrowsAsync<SnmpTimeoutException>(() => _client.GetAsync(Read with { Community = "wrong" }, [SysDescr]));
        Assert.Contains("2 tries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_concurrent_requests_share_one_socket_and_each_gets_its_own_answer()
    {
        // snmpd answers one at a time: 200 at once on a busy machine outlast the 2 s the other tests wait, and this
        // test is about matching answers to requests, not about speed.
        await using var patient = new SnmpClient(new SnmpClientOptions(TimeSpan.FromSeconds(20), 1));
        var tasks = Enumerable.Range(0, 200).Select(i => patient.GetAsync(Read, [i % 2 == 0 ? SysDescr : SysUpTime])).ToList();
        var results = await Task.WhenAll(tasks);

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? SysDescr : SysUpTime, results[i][0].Oid);
        }
    }

    [Fact]
    public async Task Answers_from_the_wrong_address_or_with_unknown_ids_are_dropped_and_cancellation_is_honoured()
    {
        using var impostor = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new CommunityTarget((IPEndPoint)impostor.Client.LocalEndPoint!, "public");
        var request = _client.GetAsync(target, [SysDescr]);
        var received = await impostor.ReceiveAsync();
        var asked = CommunityMessage.Decode(received.Buffer);

        // Answer from another socket (wrong source port), then with a wrong request id from the right one.
        using var other = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var answer = new CommunityMessage(SnmpVersion.V2c, "public", new Pdu(PduType.Response, asked.Pdu.RequestId, 0, 0, [new VarBind(SysDescr, SnmpValue.OctetString("forged"))]));
        await other.SendAsync(answer.Encode(), received.RemoteEndPoint);
        await impostor.SendAsync((answer with { Pdu = answer.Pdu with { RequestId = asked.Pdu.RequestId + 1 } }).Encode(), received.RemoteEndPoint);
        await Assert.ThrowsAsync<SnmpTimeoutException>(() => request);
        Assert.True(_client.DroppedDatagrams >= 2);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetAsync(target, [SysDescr], cancel.Token));
    }

    [Fact]
    public async Task SNMPv3_works_at_every_security_level_after_discovering_the_engine()
    {
        var noAuth = new UsmTarget(_snmpd.EndPoint, new UsmUser("noauthuser"));
        var sha = new UsmTarget(_snmpd.EndPoint, new UsmUser("shauser", AuthProtocol.Sha1, "sha-auth-pass"));
        var sha256Aes = new UsmTarget(_snmpd.EndPoint, new UsmUser("sha256priv", AuthProtocol.Sha256, "sha256-auth-pass", PrivProtocol.Aes128, "aes-priv-pass-1"));

        Assert.Contains("Linux", (await _client.GetAsync(noAuth, [SysDescr]))[0].Value.AsString(), StringComparison.Ordinal);
        Assert.Contains("Linux", (await _client.GetAsync(sha, [SysDescr]))[0].Value.AsString(), StringComparison.Ordinal);
        var shaAes = new UsmTarget(_snmpd.EndPoint, new UsmUser("shapriv", AuthProtocol.Sha1, "sha-auth-pass-2", PrivProtocol.Aes128, "aes-priv-pass-2"));
        Assert.Contains("Linux", (await _client.GetAsync(shaAes, [SysDescr]))[0].Value.AsString(), StringComparison.Ordinal);

        var name = $"lb-{Guid.NewGuid():N}"[..20];
        await _client.SetAsync(sha256Aes, [new VarBind(SysName, SnmpValue.OctetString(name))]);
        Assert.Equal(name, (await _client.GetAsync(sha256Aes, [SysName]))[0].Value.AsString());

        var walked = new List<VarBind>();
        await foreach (var binding in _client.WalkAsync(sha256Aes, System))
        {
            walked.Add(binding);
        }

        Assert.Equal(SysDescr, walked[0].Oid);
        Assert.Contains(walked, b => b.Oid == SysName && b.Value.AsString() == name);
    }

    [Fact]
    public async Task SNMPv3_refusals_come_back_as_typed_errors_and_an_undecryptable_request_as_a_timeout_that_says_why()
    {
        var wrongAuth = new UsmTarget(_snmpd.EndPoint, new UsmUser("shauser", AuthProtocol.Sha1, "not-the-password"));
        var unknownUser = new UsmTarget(_snmpd.EndPoint, new UsmUser("nobody", AuthProtocol.Sha1, "whatever-password"));
        var wrongPriv = new UsmTarget(_snmpd.EndPoint, new UsmUser("sha256priv", AuthProtocol.Sha256, "sha256-auth-pass", PrivProtocol.Aes128, "wrong-priv-pass"));

        Assert.Equal(UsmError.WrongDigest, (await Assert.ThrowsAsync<SnmpUsmException>(() => _client.GetAsync(wrongAuth, [SysDescr]))).Error);
        Assert.Equal(UsmError.UnknownUserName, (await Assert.ThrowsAsync<SnmpUsmException>(() => _client.GetAsync(unknownUser, [SysDescr]))).Error);
        // net-snmp drops what it cannot decrypt rather than reporting it; the timeout says what to check.
        var dropped = await Assert.ThrowsAsync<SnmpTimeoutException>(() => _client.GetAsync(wrongPriv, [SysDescr]));
        Assert.Contains("privacy password", dropped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_reaches_an_agent_over_IPv6()
    {
        await using var snmpd6 = await SnmpdProcess.StartAsync(ipv6: true);
        var target = new CommunityTarget(snmpd6.EndPoint, SnmpdProcess.ReadCommunity);

        var result = await _client.GetAsync(target, [SysDescr]);

        Assert.Equal(AddressFamily.InterNetworkV6, snmpd6.EndPoint.AddressFamily);
        Assert.Contains("Linux", result[0].Value.AsString(), StringComparison.Ordinal);
    }
}

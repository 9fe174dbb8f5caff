using Serverless.RelayAgent.Snmp;
using Serverless.Snmp;
using Serverless.Testing;

namespace Serverless.RelayAgent.Tests;

/// <summary>The operator's <c>relay-agent snmp …</c> command, run in process against a real snmpd.</summary>
public sealed class SnmpCommandTests : IAsyncLifetime
{
    private SnmpdProcess _snmpd = null!;

    private string Host => $"127.0.0.1:{_snmpd.EndPoint.Port}";

    public async Task InitializeAsync() =>
        _snmpd = await SnmpdProcess.StartAsync("createUser privuser SHA-256 \"sha256-auth-pass\" AES \"aes-priv-pass-1\"\nrwuser privuser priv");

    public async Task DisposeAsync() => await _snmpd.DisposeAsync();

    [Theory]
    [InlineData(0u, "0:00:00.00")]
    [InlineData(15u, "0:00:00.15")]
    [InlineData(366_123u, "1:01:01.23")]
    [InlineData(8_640_000u, "1 day, 0:00:00.00")]
    [InlineData(17_280_123u, "2 days, 0:00:01.23")]
    public void Timeticks_print_as_net_snmp_prints_them(uint ticks, string expected) => Assert.Equal(expected, NetSnmpFormat.Ticks(ticks));

    [Fact]
    public void Values_print_in_net_snmp_numeric_form()
    {
        Assert.Equal(".1.3.6.1.2.1.1.5.0 = STRING: \"lb-1\"", NetSnmpFormat.Line(new VarBind(Oid.Parse("1.3.6.1.2.1.1.5.0"), SnmpValue.OctetString("lb-1"))));
        Assert.Equal("OID: .1.3.6.1.4.1.8072.3.2.10", NetSnmpFormat.Value(SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.4.1.8072.3.2.10"))));
        Assert.Equal("Timeticks: (15) 0:00:00.15", NetSnmpFormat.Value(SnmpValue.TimeTicks(15)));
        Assert.Equal("Hex-STRING: 00 FF", NetSnmpFormat.Value(SnmpValue.OctetString([0x00, 0xFF])));
        Assert.Equal("Counter64: 7", NetSnmpFormat.Value(SnmpValue.Counter64(7)));
    }

    [Fact]
    public async Task Set_get_walk_and_bulkwalk_print_one_line_per_binding()
    {
        var (code, output, error) = await RunAsync("set", "-v", "2c", "-c", "private", Host, "1.3.6.1.2.1.1.5.0", "s", "lb-edge-1");
        Assert.True(code == 0, error);
        Assert.Equal(".1.3.6.1.2.1.1.5.0 = STRING: \"lb-edge-1\"", output.Trim());

        (code, output, _) = await RunAsync("get", "-c", "public", Host, ".1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.3.0");
        var lines = output.Trim().Split('\n');
        Assert.Equal(0, code);
        Assert.Equal(".1.3.6.1.2.1.1.5.0 = STRING: \"lb-edge-1\"", lines[0]);
        Assert.StartsWith(".1.3.6.1.2.1.1.3.0 = Timeticks: (", lines[1], StringComparison.Ordinal);

        var (_, walked, _) = await RunAsync("walk", "-v", "1", "-c", "public", Host, "1.3.6.1.2.1.1");
        var (_, bulkWalked, _) = await RunAsync("bulkwalk", "-c", "public", Host, "1.3.6.1.2.1.1");
        Assert.StartsWith(".1.3.6.1.2.1.1.1.0 = STRING: \"Linux", walked, StringComparison.Ordinal);
        Assert.Equal(Oids(walked), Oids(bulkWalked));
        Assert.True(walked.Trim().Split('\n').Length >= 7);
    }

    [Fact]
    public async Task SNMPv3_with_authentication_and_privacy_works_with_net_snmp_options()
    {
        var (code, output, error) = await RunAsync("get", "-v", "3", "-u", "privuser", "-l", "authPriv", "-a", "SHA-256", "-A", "sha256-auth-pass", "-x", "AES", "-X", "aes-priv-pass-1", Host, "1.3.6.1.2.1.1.1.0");

        Assert.True(code == 0, error);
        Assert.StartsWith(".1.3.6.1.2.1.1.1.0 = STRING: \"Linux", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failures_print_one_reason_on_stderr_and_exit_non_zero()
    {
        var (code, output, error) = await RunAsync("get", "-c", "wrong", "-t", "0.3", "-r", "1", Host, "1.3.6.1.2.1.1.1.0");
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.StartsWith("Timeout: No Response from", error, StringComparison.Ordinal);

        (code, _, error) = await RunAsync("set", "-c", "private", Host, "1.3.6.1.2.1.1.1.0", "s", "x");
        Assert.Equal(1, code);
        Assert.Contains("NotWritable", error, StringComparison.Ordinal);

        (code, _, error) = await RunAsync("get", "-v", "3", "-u", "privuser", "-l", "authNoPriv", "-a", "SHA-256", "-A", "not-the-password", Host, "1.3.6.1.2.1.1.1.0");
        Assert.Equal(1, code);
        Assert.StartsWith("Authentication failure", error, StringComparison.Ordinal);

        (code, _, error) = await RunAsync("get", Host, "1.3.x");
        Assert.Equal(2, code);
        Assert.Contains("is not a dotted OID", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SnmpCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static List<string> Oids(string output) => output.Trim().Split('\n').Select(l => l.Split(' ')[0]).ToList();
}

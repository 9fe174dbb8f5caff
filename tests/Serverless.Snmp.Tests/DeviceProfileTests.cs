using Serverless.Snmp.Profiles;
using Serverless.Testing;

namespace Serverless.Snmp.Tests;

public sealed class DeviceProfileTests
{
    private const string Valid = """
        {
          "schemaVersion": 1,
          "name": "test-device",
          "verify": { "read": [ "1.3.6.1.2.1.1.2.0" ], "writable": [ "1.3.6.1.4.1.9.1.{member}" ] },
          "activate": [ { "oid": "1.3.6.1.4.1.9.1.{member}", "type": "i", "value": "1" } ],
          "deactivate": [ { "oid": "1.3.6.1.4.1.9.1.{member}", "type": "i", "value": "2" } ],
          "health": [ { "name": "state", "oid": "1.3.6.1.4.1.9.1.{member}", "healthy": [ "1" ] } ],
          "load": [ { "metric": "cpu.percent", "oid": "1.3.6.1.4.1.9.2.{member}", "kind": "gauge" } ]
        }
        """;

    [Fact]
    public void The_shipped_profiles_load()
    {
        var profiles = DeviceProfile.ReadShipped();

        Assert.Equal(["if-mib", "net-snmp-host", "simulated-load-balancer"], profiles.Select(p => p.Name));
        Assert.All(profiles, p => Assert.NotEmpty(p.VerifyRead));
        Assert.All(profiles, p => Assert.NotEmpty(p.Load));
    }

    [Theory]
    [InlineData("\"schemaVersion\": 1", "\"schemaVersion\": 2", "schemaVersion")]
    [InlineData("\"name\": \"test-device\"", "\"name\": \"Test Device\"", "name")]
    [InlineData("\"type\": \"i\", \"value\": \"1\"", "\"type\": \"i\", \"value\": \"up\"", "activate[0]: 'up' is not an Integer32")]
    [InlineData("\"type\": \"i\", \"value\": \"2\"", "\"type\": \"q\", \"value\": \"2\"", "deactivate[0]: 'q' is not a value type")]
    [InlineData("1.3.6.1.4.1.9.2.{member}", "1.3.6.1.4.1.9.{member}.2", "load[0].oid")]
    [InlineData("\"kind\": \"gauge\"", "\"kind\": \"rate\"", "load[0].kind")]
    [InlineData("\"read\": [ \"1.3.6.1.2.1.1.2.0\" ]", "\"read\": [ \"1.3.6.x\" ]", "verify.read[0]")]
    [InlineData("\"healthy\": [ \"1\" ]", "\"healthy\": []", "health[0].healthy")]
    [InlineData("\"load\":", "\"loads\":", "loads")]
    public void Invalid_profiles_are_refused_naming_the_field(string find, string replace, string expected)
    {
        var json = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, json);

        var error = Assert.Throws<DeviceProfileException>(() => DeviceProfile.Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deactivation_must_undo_the_same_objects_activation_sets()
    {
        var json = Valid.Replace("\"oid\": \"1.3.6.1.4.1.9.1.{member}\", \"type\": \"i\", \"value\": \"2\"", "\"oid\": \"1.3.6.1.4.1.9.5.{member}\", \"type\": \"i\", \"value\": \"2\"", StringComparison.Ordinal);

        Assert.Contains("deactivate", Assert.Throws<DeviceProfileException>(() => DeviceProfile.Parse(json)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Templates_resolve_member_indexes_of_one_or_more_arcs()
    {
        var profile = DeviceProfile.Parse(Valid);

        Assert.Equal(Oid.Parse("1.3.6.1.4.1.9.1.3"), profile.Activate[0].Oid.Resolve("3"));
        Assert.Equal(Oid.Parse("1.3.6.1.4.1.9.1.10.0.0.1"), profile.Activate[0].Oid.Resolve("10.0.0.1"));
        Assert.Equal(SnmpValue.Integer32(2), profile.Deactivate[0].Value);
        Assert.Throws<ArgumentException>(() => profile.Activate[0].Oid.Resolve(null));
    }

    [Theory]
    [InlineData("i", "-5", "INTEGER: -5")]
    [InlineData("u", "7", "Gauge32: 7")]
    [InlineData("c", "8", "Counter32: 8")]
    [InlineData("C", "18446744073709551615", "Counter64: 18446744073709551615")]
    [InlineData("t", "15", "TimeTicks: 15")]
    [InlineData("s", "lb-1", "STRING: lb-1")]
    [InlineData("x", "DE AD be ef", "STRING: DEADBEEF")]
    [InlineData("o", ".1.3.6.1", "OID: 1.3.6.1")]
    [InlineData("a", "10.1.2.3", "IpAddress: 10.1.2.3")]
    public void Net_snmp_type_letters_parse_to_typed_values(string type, string text, string expected)
    {
        Assert.Equal(expected, SnmpValues.Parse(type, text).ToString());
    }

    [Fact]
    public async Task The_host_and_interface_profiles_read_real_values_from_snmpd()
    {
        await using var snmpd = await SnmpdProcess.StartAsync();
        await using var client = new SnmpClient(new SnmpClientOptions(TimeSpan.FromSeconds(2), 1));
        var target = new CommunityTarget(snmpd.EndPoint, SnmpdProcess.ReadCommunity);
        var profiles = DeviceProfile.ReadShipped().ToDictionary(p => p.Name);

        foreach (var (name, member) in new[] { ("net-snmp-host", (string?)null), ("if-mib", "1") })
        {
            var profile = profiles[name];
            var verified = await client.GetAsync(target, profile.VerifyRead.Select(t => t.Resolve(member)).ToList());
            Assert.All(verified, v => Assert.False(v.Value.IsException, $"{name}: {v}"));

            // Load OIDs answer with a number, or (right after snmpd starts, before it sampled the CPU) noSuchInstance as data.
            var load = await client.GetAsync(target, profile.Load.Select(l => l.Oid.Resolve(member)).ToList());
            Assert.All(load, v => Assert.True(v.Value.Type is SnmpType.NoSuchInstance or SnmpType.OctetString or SnmpType.Integer32 or SnmpType.Gauge32 or SnmpType.Counter64, $"{name}: {v}"));
        }
    }
}

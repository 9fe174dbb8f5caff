using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Snmp;
using Serverless.Testing;

namespace Serverless.RelayAgent.Tests;

/// <summary>The agent's SNMP command handlers against the real test appliance, in process.</summary>
public sealed class SnmpHandlerTests(SnmpHandlerFixture fixture) : IClassFixture<SnmpHandlerFixture>
{
    private const string Base = LoadBalancerAppliance.BaseOid;

    [Fact]
    public async Task SnmpSet_then_get_and_walk_AnswerBindingsAsText()
    {
        var set = await fixture.ExecuteAsync(CommandKinds.SnmpSet,
            $$$"""{"device":{{{fixture.Device(SnmpHandlerFixture.ReadWrite)}}},"bindings":[{"oid":"{{{Base}}}.1.8","type":"integer","value":"2"}]}""");
        Assert.Equal("2", set.GetProperty("bindings")[0].GetProperty("value").GetString());
        Assert.Equal(2, fixture.Appliance.Members().Single(m => m.Index == 8).AdminState);

        var get = Read(await fixture.ExecuteAsync(CommandKinds.SnmpGet,
            $$$"""{"device":{{{fixture.Device(SnmpHandlerFixture.V3)}}},"oids":["1.3.6.1.2.1.1.2.0","{{{Base}}}.1.8","{{{Base}}}.9.9"]}"""));
        Assert.Equal(("oid", "1.3.6.1.4.1.8072.3.2.10"), (get.Bindings[0].Type, get.Bindings[0].Value));
        Assert.Equal(("integer", "2"), (get.Bindings[1].Type, get.Bindings[1].Value));
        Assert.StartsWith("noSuch", get.Bindings[2].Type, StringComparison.Ordinal);

        var walk = Read(await fixture.ExecuteAsync(CommandKinds.SnmpWalk, $$$"""{"device":{{{fixture.Device(SnmpHandlerFixture.ReadOnly)}}},"root":"{{{Base}}}"}"""));
        Assert.Equal(24, walk.Bindings.Count);
        Assert.False(walk.Truncated);
        Assert.Equal(["integer", "gauge32", "gauge32"], walk.Bindings.Where((_, i) => i % 8 == 0).Select(b => b.Type));

        var truncated = Read(await fixture.ExecuteAsync(CommandKinds.SnmpWalk, $$$"""{"device":{{{fixture.Device(SnmpHandlerFixture.ReadOnly)}}},"root":"{{{Base}}}","maxBindings":5}"""));
        Assert.Equal(5, truncated.Bindings.Count);
        Assert.True(truncated.Truncated);
    }

    [Fact]
    public async Task MemberDeactivateAndActivate_OverV3_ChangeTheApplianceAndReportHealth()
    {
        var payload = $$$"""{"resourceId":"lb-member-7","snmp":{"device":{{{fixture.Device(SnmpHandlerFixture.V3)}}},"profile":"simulated-load-balancer","index":"7"}}""";

        var deactivated = await fixture.ExecuteAsync(CommandKinds.DeactivateMember, payload);
        Assert.Equal(2, fixture.Appliance.Members().Single(m => m.Index == 7).AdminState);
        Assert.False(deactivated.GetProperty("active").GetBoolean());
        Assert.False(deactivated.GetProperty("healthy").GetBoolean());
        Assert.Equal("lb-member-7", deactivated.GetProperty("resourceId").GetString());

        var activated = await fixture.ExecuteAsync(CommandKinds.ActivateMember, payload);
        Assert.Equal(1, fixture.Appliance.Members().Single(m => m.Index == 7).AdminState);
        Assert.True(activated.GetProperty("active").GetBoolean());
        Assert.True(activated.GetProperty("healthy").GetBoolean());
        Assert.Equal($"{Base}.1.7", activated.GetProperty("applied")[0].GetProperty("oid").GetString());

        // Absolute sets: repeating the command changes nothing and still succeeds.
        await fixture.ExecuteAsync(CommandKinds.ActivateMember, payload);
        Assert.Equal(1, fixture.Appliance.Members().Single(m => m.Index == 7).AdminState);
    }

    [Fact]
    public async Task MetricsPoll_ReadsSteeredLoad_RatesCounters_AndFailsOnlyTheMembersThatCannotBeRead()
    {
        fixture.Appliance.SteerLoad(1, connections: 420, cpuPercent: 73);
        fixture.Appliance.SteerLoad(2, connections: 15, cpuPercent: 9);
        var closedPort = FreePorts.Udp();
        var handler = new MetricsPollHandler(
            new MemberMetrics(new MetricsPoller(fixture.Client, fixture.Devices, fixture.Profiles, fixture.Options, TimeProvider.System), new InstanceMetrics(fixture.Hosts, TimeProvider.System)),
            NullLogger<MetricsPollHandler>.Instance);
        var device = fixture.Device(SnmpHandlerFixture.ReadWrite);
        var dark = fixture.Device(SnmpHandlerFixture.ReadWrite, $"127.0.0.1:{closedPort}", ",\"timeoutMilliseconds\":100,\"retries\":0");
        var payload = $$$"""
            {"targets":[
              {"resourceId":"m1","snmp":{"device":{{{device}}},"profile":"simulated-load-balancer","index":"1"}},
              {"resourceId":"m2","snmp":{"device":{{{device}}},"profile":"simulated-load-balancer","index":"2"}},
              {"resourceId":"lo","snmp":{"device":{{{device}}},"profile":"if-mib","index":"1"}},
              {"resourceId":"gone","snmp":{"device":{{{device}}},"profile":"simulated-load-balancer","index":"99"}},
              {"resourceId":"typo","snmp":{"device":{{{device}}},"profile":"no-such-profile","index":"1"}},
              {"resourceId":"dark","snmp":{"device":{{{dark}}},"profile":"simulated-load-balancer","index":"1"}}
            ]}
            """;

        var first = Poll(await fixture.ExecuteAsync(CommandKinds.PollMetrics, payload, handler));
        var samples = first.Samples.ToDictionary(s => $"{s.ResourceId}/{s.Metric}", s => s.Value);
        Assert.Equal(420, samples["m1/connections.active"]);
        Assert.Equal(73, samples["m1/cpu.percent"]);
        Assert.Equal(15, samples["m2/connections.active"]);
        Assert.Equal(9, samples["m2/cpu.percent"]);
        Assert.DoesNotContain(first.Samples, s => s.ResourceId == "lo");
        var failures = first.Failures.ToDictionary(f => f.ResourceId);
        Assert.Equal(["dark", "gone", "typo"], failures.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CommandErrorKind.Unreachable, failures["dark"].Kind);
        Assert.Equal(CommandErrorKind.DeviceError, failures["gone"].Kind);
        Assert.Contains("connections.active", failures["gone"].Message, StringComparison.Ordinal);
        Assert.Equal(CommandErrorKind.InvalidPayload, failures["typo"].Kind);

        // The second poll has a previous reading, so the counters now give rates (their arithmetic is CounterRatesTests';
        // net-snmp caches interface counters for a few seconds, so the value itself may be 0 here).
        await Task.Delay(200);
        var second = Poll(await fixture.ExecuteAsync(CommandKinds.PollMetrics, payload, handler));
        Assert.Single(second.Samples, s => s.ResourceId == "lo" && s.Metric == "net.in.bytes");
        Assert.Single(second.Samples, s => s.ResourceId == "lo" && s.Metric == "net.out.bytes");
    }

    [Fact]
    public async Task CapabilitiesVerify_PassesForAWritableProfile_AndNamesEveryShortfall()
    {
        var verify = (string credential, string members) => fixture.ExecuteAsync(CommandKinds.VerifyCapabilities,
            $$$"""{"snmp":{"device":{{{fixture.Device(credential, timing: ",\"timeoutMilliseconds\":300,\"retries\":0")}}},"profile":"simulated-load-balancer","members":[{{{members}}}]}}""");
        var before = fixture.Appliance.Members();

        var good = Report(await verify(SnmpHandlerFixture.V3, "\"3\",\"4\""));
        Assert.True(good.Reachable);
        Assert.Empty(good.Problems);
        Assert.Equal("1.3.6.1.4.1.8072.3.2.10", good.Capabilities["snmp.sysObjectID"]);
        Assert.Contains("Linux", good.Capabilities["snmp.sysDescr"], StringComparison.Ordinal);
        Assert.StartsWith("v3 authPriv", good.Capabilities["snmp.security"], StringComparison.Ordinal);
        Assert.Equal(before, fixture.Appliance.Members());

        var readOnly = Report(await verify(SnmpHandlerFixture.ReadOnly, "\"3\""));
        Assert.True(readOnly.Reachable);
        Assert.Equal([$"not writable: {Base}.1.3 (NoAccess)."], readOnly.Problems);

        var missing = Report(await verify(SnmpHandlerFixture.ReadWrite, "\"42\""));
        Assert.Equal(3, missing.Problems.Count(p => p.StartsWith("not readable: ", StringComparison.Ordinal) && p.Contains(".42 (noSuchInstance", StringComparison.Ordinal)));

        var wrongCommunity = Report(await verify(SnmpHandlerFixture.WrongCommunity, "\"3\""));
        Assert.False(wrongCommunity.Reachable);
        Assert.StartsWith("unreachable: ", Assert.Single(wrongCommunity.Problems), StringComparison.Ordinal);

        var wrongPassword = Report(await verify(SnmpHandlerFixture.WrongPassword, "\"3\""));
        Assert.False(wrongPassword.Reachable);
        Assert.StartsWith("wrong credentials: ", Assert.Single(wrongPassword.Problems), StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", wrongPassword.Problems[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CommandKinds.SnmpGet, """{"device":{"address":"127.0.0.1","credential":"nobody"},"oids":["1.3.6.1.2.1.1.1.0"]}""", "device.credential: this agent has no SNMP credential 'nobody'")]
    [InlineData(CommandKinds.SnmpGet, """{"device":{"address":"127.0.0.1","credential":"lb-rw"},"oids":["1.3.6.1.2.1.1.1.0","1.3.x"]}""", "oids[1]: '1.3.x' is not a dotted OID")]
    [InlineData(CommandKinds.SnmpGet, """{"device":{"address":"127.0.0.1","credential":"lb-rw"},"oids":[]}""", "oids: give 1 to 100 items.")]
    [InlineData(CommandKinds.SnmpGet, """{"device":{"address":"127.0.0.1:99999","credential":"lb-rw"},"oids":["1.3.6"]}""", "device.address: '127.0.0.1:99999': the port")]
    [InlineData(CommandKinds.SnmpGet, """{"device":{"address":"127.0.0.1","credential":"lb-rw","retries":50},"oids":["1.3.6"]}""", "device: timeoutMilliseconds must be")]
    [InlineData(CommandKinds.SnmpSet, """{"device":{"address":"127.0.0.1","credential":"lb-rw"},"bindings":[{"oid":"1.3.6.1","type":"integer","value":"many"}]}""", "bindings[0]: 'many' is not an Integer32.")]
    [InlineData(CommandKinds.SnmpSet, """{"device":{"address":"127.0.0.1","credential":"lb-rw"},"bindings":[{"oid":"1.3.6.1","type":"float","value":"1"}]}""", "bindings[0]: 'float' is not a value type")]
    [InlineData(CommandKinds.SnmpWalk, """{"device":{"address":"127.0.0.1","credential":"lb-rw"},"root":"1.3.6","maxBindings":0}""", "maxBindings: 1 to 10000.")]
    [InlineData(CommandKinds.ActivateMember, """{"resourceId":"m","snmp":{"device":{"address":"127.0.0.1","credential":"lb-rw"},"profile":"simulated-load-balancer"}}""", "snmp.index: the profile's OID")]
    [InlineData(CommandKinds.ActivateMember, """{"resourceId":"m","snmp":{"device":{"address":"127.0.0.1","credential":"lb-rw"},"profile":"nope","index":"1"}}""", "snmp.profile: this agent has no device profile 'nope'")]
    [InlineData(CommandKinds.VerifyCapabilities, """{"snmp":{"device":{"address":"127.0.0.1","credential":"lb-rw"},"profile":"if-mib","members":["1.x"]}}""", "snmp.members[0]: '1.x' is not index arcs")]
    [InlineData(CommandKinds.VerifyCapabilities, """{"snmp":{"device":{"address":"127.0.0.1","credential":"lb-rw"},"profile":"if-mib","members":"1"}}""", "snmp.members: The JSON value could not be converted")]
    [InlineData(CommandKinds.VerifyCapabilities, """{}""", "snmp, libvirt: give exactly one")]
    [InlineData(CommandKinds.VerifyCapabilities, """{"libvirt":{"uri":""}}""", "libvirt.uri: required.")]
    public async Task Handlers_RefuseMalformedPayloads_NamingTheField(string kind, string payload, string expected)
    {
        var failure = await Assert.ThrowsAsync<CommandFailure>(() => fixture.ExecuteAsync(kind, payload));
        Assert.Equal(CommandErrorKind.InvalidPayload, failure.Kind);
        Assert.StartsWith(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeviceFailures_MapToStableKinds_WithoutSecrets()
    {
        var readOnlySet = await Assert.ThrowsAsync<CommandFailure>(() => fixture.ExecuteAsync(CommandKinds.SnmpSet,
            $$$"""{"device":{{{fixture.Device(SnmpHandlerFixture.ReadWrite)}}},"bindings":[{"oid":"{{{Base}}}.2.1","type":"u","value":"1"}]}"""));
        Assert.Equal(CommandErrorKind.DeviceError, readOnlySet.Kind);
        Assert.Contains("NotWritable (error-index 1", readOnlySet.Message, StringComparison.Ordinal);

        var wrongCommunity = await Assert.ThrowsAsync<CommandFailure>(() => fixture.ExecuteAsync(CommandKinds.SnmpGet,
            $$$"""{"device":{{{fixture.Device(SnmpHandlerFixture.WrongCommunity, timing: ",\"timeoutMilliseconds\":200,\"retries\":1")}}},"oids":["1.3.6.1.2.1.1.1.0"]}"""));
        Assert.Equal(CommandErrorKind.Unreachable, wrongCommunity.Kind);
        Assert.Contains("2 tries", wrongCommunity.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-community", wrongCommunity.Message, StringComparison.Ordinal);

        var wrongPassword = await Assert.ThrowsAsync<CommandFailure>(() => fixture.ExecuteAsync(CommandKinds.SnmpGet,
            $$$"""{"device":{{{fixture.Device(SnmpHandlerFixture.WrongPassword)}}},"oids":["1.3.6.1.2.1.1.1.0"]}"""));
        Assert.Equal(CommandErrorKind.Unauthorized, wrongPassword.Kind);
        Assert.DoesNotContain("not-the-password", wrongPassword.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsValidator_NamesEveryBadCredential_WithoutItsSecrets()
    {
        var options = new SnmpAgentOptions
        {
            Credentials = new(StringComparer.OrdinalIgnoreCase)
            {
                ["no-community"] = new() { Version = "2c" },
                ["short"] = new() { Version = "3", User = "u", AuthProtocol = "SHA", AuthPassword = "secret7" },
                ["md5"] = new() { Version = "3", User = "u", AuthProtocol = "MD5", AuthPassword = "long-enough-secret" },
                ["v4"] = new() { Version = "4", Community = "c" },
                ["fine"] = new() { Version = "3", User = "u", AuthProtocol = "SHA-256", AuthPassword = "long-enough-secret", PrivProtocol = "AES", PrivPassword = "long-enough-secret" },
            },
            ProfilesPath = "/nonexistent/profiles",
        };

        var result = new SnmpAgentOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                "RelayAgent:Snmp:Credentials:md5: 'MD5' is not an authentication protocol: use SHA or SHA-256.",
                "RelayAgent:Snmp:Credentials:no-community: Community is required for version 1 and 2c.",
                "RelayAgent:Snmp:Credentials:short: An authentication password of at least 8 characters is required (RFC 3414).",
                "RelayAgent:Snmp:Credentials:v4: Version '4' is not 1, 2c or 3.",
                "RelayAgent:Snmp:ProfilesPath: the folder '/nonexistent/profiles' does not exist.",
            ],
            result.Failures!.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(result.Failures!, f => f.Contains("secret", StringComparison.Ordinal));
    }

    private static Serverless.Contracts.Snmp.SnmpBindingsOutput Read(JsonElement output) =>
        output.Deserialize(ContractsJsonContext.Default.SnmpBindingsOutput)!;

    private static Serverless.Contracts.Snmp.MetricsPollOutput Poll(JsonElement output) =>
        output.Deserialize(ContractsJsonContext.Default.MetricsPollOutput)!;

    private static CapabilityVerificationResult Report(JsonElement output) =>
        output.Deserialize(ContractsJsonContext.Default.CapabilityVerificationResult)!;
}

using System.Net;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// Registration end to end: HTTP → durable workflow → capabilities.verify through the Service Bus emulator → a real
/// relay agent checking a libvirt test-driver host or the snmpd test appliance → decision → table storage → operation.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class RegistrationWorkflowTests(CommandChannelFixture fixture)
{
    private const string AuthPassword = "appliance-auth-pass";
    private const string PrivPassword = "appliance-priv-pass";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string> AgentSettings = new()
    {
        ["RelayAgent__Libvirt__Uris__0"] = "test:///default",
        ["RelayAgent__Snmp__Credentials__lb__Version"] = "3",
        ["RelayAgent__Snmp__Credentials__lb__User"] = "lbadmin",
        ["RelayAgent__Snmp__Credentials__lb__AuthProtocol"] = "SHA-256",
        ["RelayAgent__Snmp__Credentials__lb__AuthPassword"] = AuthPassword,
        ["RelayAgent__Snmp__Credentials__lb__PrivProtocol"] = "AES",
        ["RelayAgent__Snmp__Credentials__lb__PrivPassword"] = PrivPassword,
        ["RelayAgent__Snmp__Credentials__lb-stale__Version"] = "3",
        ["RelayAgent__Snmp__Credentials__lb-stale__User"] = "lbadmin",
        ["RelayAgent__Snmp__Credentials__lb-stale__AuthProtocol"] = "SHA-256",
        ["RelayAgent__Snmp__Credentials__lb-stale__AuthPassword"] = "an-old-password",
        ["RelayAgent__Snmp__Credentials__lb-stale__PrivProtocol"] = "AES",
        ["RelayAgent__Snmp__Credentials__lb-stale__PrivPassword"] = PrivPassword,
    };

    [Fact]
    public async Task RegisterHost_TestDriverThroughTheAgent_IsRegisteredWithItsCapabilities()
    {
        await using var agent = await fixture.StartAgentAsync("agent-reg-host", "reg-host-site", AgentSettings);
        using var client = fixture.Host.CreateClient();

        var (operation, resource) = await RegisterAsync(client, "reg-host-site",
            """{"kind":"virtualizationHost","endpoint":"test:///default","serviceCategories":["compute","migration","quiesce"]}""");

        Assert.Equal("registered", operation.GetProperty("result").GetProperty("state").GetString());
        Assert.Equal("registered", resource.GetProperty("state").GetString());
        var capabilities = resource.GetProperty("capabilities");
        Assert.Equal("TEST", capabilities.GetProperty("libvirt.driver").GetString()!.ToUpperInvariant());
        Assert.Equal("16", capabilities.GetProperty("libvirt.cpus").GetString());
        Assert.Equal("true", capabilities.GetProperty("libvirt.saveRestore").GetString());
    }

    [Fact]
    public async Task RegisterAppliance_SnmpdWithTheRightAndAStaleCredential_IsRegisteredThenRejectedSayingWhy()
    {
        await using var appliance = await LoadBalancerAppliance.StartAsync(members: 2, $"createUser lbadmin SHA-256 \"{AuthPassword}\" AES \"{PrivPassword}\"\nrwuser lbadmin priv");
        await using var agent = await fixture.StartAgentAsync("agent-reg-lb", "reg-lb-site", AgentSettings);
        using var client = fixture.Host.CreateClient();
        var endpoint = $"127.0.0.1:{appliance.Snmpd.EndPoint.Port}";

        var (_, registered) = await RegisterAsync(client, "reg-lb-site",
            $$"""{"kind":"snmpAppliance","endpoint":"{{endpoint}}","deviceProfile":"simulated-load-balancer","credential":"lb","members":["1","2"],"serviceCategories":["load-balancer"]}""");
        Assert.Equal("registered", registered.GetProperty("state").GetString());
        Assert.Equal("1.3.6.1.4.1.8072.3.2.10", registered.GetProperty("capabilities").GetProperty("snmp.sysObjectID").GetString());
        Assert.Equal("lb", registered.GetProperty("credential").GetString());
        Assert.Equal([1, 1], appliance.Members().Select(m => m.AdminState));

        var (_, rejected) = await RegisterAsync(client, "reg-lb-site",
            $$"""{"kind":"snmpAppliance","endpoint":"{{endpoint}}","deviceProfile":"simulated-load-balancer","credential":"lb-stale"}""");
        Assert.Equal("rejected", rejected.GetProperty("state").GetString());
        var reason = Assert.Single(rejected.GetProperty("reasons").EnumerateArray()).GetString()!;
        Assert.StartsWith("wrong credentials: ", reason, StringComparison.Ordinal);
        Assert.Contains("authentication of 'lbadmin'", reason, StringComparison.Ordinal);

        var (_, unknown) = await RegisterAsync(client, "reg-lb-site",
            $$"""{"kind":"snmpAppliance","endpoint":"{{endpoint}}","deviceProfile":"simulated-load-balancer","credential":"lb-typo"}""");
        Assert.Contains("no SNMP credential 'lb-typo'", unknown.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterHost_AgentStopped_IsRejectedAfterTheTimeoutSayingSo()
    {
        var agent = await fixture.StartAgentAsync("agent-reg-gone", "reg-gone-site", AgentSettings);
        await agent.StopAsync(TimeSpan.FromSeconds(20));
        await agent.DisposeAsync();
        using var client = fixture.Host.CreateClient();

        var (_, resource) = await RegisterAsync(client, "reg-gone-site",
            """{"kind":"virtualizationHost","endpoint":"test:///default","verificationTimeoutSeconds":5}""");

        Assert.Equal("rejected", resource.GetProperty("state").GetString());
        Assert.Contains("did not answer the capability verification within 5 seconds", resource.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterResource_SameNameWhileVerifying_Returns409()
    {
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, "busy-site");
        var resourceId = "kvm-" + Guid.NewGuid().ToString("N")[..8];
        var operationId = await Api.RegisterHostAsync(client, "busy-site", resourceId);
        await Api.WaitForOperationAsync(client, operationId, o => Api.IsAtStep(o, "verifying"), Deadline, "the verification step");

        using var again = await client.PostAsync(
            new Uri("api/v1/resources", UriKind.Relative),
            Api.Json($$"""{"name":"{{resourceId}}","zone":"busy-site","kind":"virtualizationHost","endpoint":"test:///default"}"""));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    private static async Task<(System.Text.Json.JsonElement Operation, System.Text.Json.JsonElement Resource)> RegisterAsync(HttpClient client, string zone, string fields)
    {
        var (name, operation) = await Api.RegisterAndWaitAsync(client, zone, fields);
        Assert.True(Api.HasStatus(operation, "succeeded"), operation.ToString());
        return (operation, await Api.GetResourceAsync(client, name));
    }
}

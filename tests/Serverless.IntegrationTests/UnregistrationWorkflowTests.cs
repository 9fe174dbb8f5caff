using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// Unregistration end to end: HTTP → durable workflow → instance.stop and resource.uninstall through the Service Bus
/// emulator → a real relay agent driving the libvirt test driver or the snmpd appliance → table storage → operation.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class UnregistrationWorkflowTests(CommandChannelFixture fixture)
{
    private const string AuthPassword = "unreg-auth-pass";
    private const string PrivPassword = "unreg-priv-pass";
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
    };

    [Fact]
    public async Task UnregisterHost_WithARunningInstance_Is409UntilForcedThenDrainsUninstallsAndFreesTheName()
    {
        await using var agent = await fixture.StartAgentAsync("agent-unreg-host", "unreg-host-site", AgentSettings);
        using var client = fixture.Host.CreateClient();
        var name = await Api.RegisteredAsync(client, "unreg-host-site", """{"kind":"virtualizationHost","endpoint":"test:///default"}""");
        var instances = await GetJsonAsync(client, $"api/v1/resources/{name}/instances");
        Assert.Equal("test:running", Describe(instances.GetProperty("items")));

        using (var blocked = await client.DeleteAsync(new Uri($"api/v1/resources/{name}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
            Assert.Equal("application/problem+json", blocked.Content.Headers.ContentType?.MediaType);
            var item = Assert.Single((await Api.ReadJsonAsync(blocked)).GetProperty("blockingItems").EnumerateArray());
            Assert.Equal(("instance", "test"), (item.GetProperty("kind").GetString(), item.GetProperty("id").GetString()));
        }

        var etag = await GetETagAsync(client, name);
        Assert.Equal(HttpStatusCode.PreconditionFailed, await DeleteStatusAsync(client, $"api/v1/resources/{name}?force=true", "W/\"datetime'2000-01-01T00%3A00%3A00.0000000Z'\""));
        Assert.Equal("registered", (await Api.GetResourceAsync(client, name)).GetProperty("state").GetString());

        var operation = await UnregisterAsync(client, $"api/v1/resources/{name}?force=true", etag);

        var result = operation.GetProperty("result");
        Assert.True(result.GetProperty("unregistered").GetBoolean(), operation.ToString());
        var stopped = Assert.Single(result.GetProperty("stopped").EnumerateArray());
        Assert.Equal(("test", "shutOff", false), (stopped.GetProperty("name").GetString(), stopped.GetProperty("state").GetString(), stopped.GetProperty("forced").GetBoolean()));
        var resource = await Api.GetResourceAsync(client, name);
        Assert.Equal("unregistered", resource.GetProperty("state").GetString());
        Assert.Contains("The agent released: libvirt connection to test:///default closed.", Reasons(resource));
        Assert.Empty((await GetJsonAsync(client, $"api/v1/resources/{name}/instances")).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.Conflict, await DeleteStatusAsync(client, $"api/v1/resources/{name}", null));

        using var again = await client.PostAsync(new Uri("api/v1/resources", UriKind.Relative),
            Api.Json($$"""{"name":"{{name}}","zone":"unreg-host-site","kind":"virtualizationHost","endpoint":"test:///default"}"""));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }

    [Fact]
    public async Task UnregisterHost_DomainStartedBehindTheRecords_IsRefusedByTheHostsOwnReport_AndTheRecordsCatchUp()
    {
        var folder = RepositoryPaths.NewScratchFolder("unreg-stale");
        try
        {
            var uri = TestDriverNode.Write(folder, ("web-off", false));
            var settings = new Dictionary<string, string> { ["RelayAgent__Libvirt__Uris__0"] = uri };
            using var client = fixture.Host.CreateClient();
            string name;
            await using (await fixture.StartAgentAsync("agent-unreg-stale", "unreg-stale-site", settings))
            {
                name = await Api.RegisteredAsync(client, "unreg-stale-site", $$"""{"kind":"virtualizationHost","endpoint":"{{uri}}"}""");
                Assert.Equal("web-off:shutOff", Describe((await GetJsonAsync(client, $"api/v1/resources/{name}/instances")).GetProperty("items")));
            }

            // Someone starts the domain on the host by hand; the records still say it is off.
            TestDriverNode.Write(folder, ("web-off", true));
            await using var agent = await fixture.StartAgentAsync("agent-unreg-stale-2", "unreg-stale-site", settings);

            var operation = await UnregisterAsync(client, $"api/v1/resources/{name}", null);

            var result = operation.GetProperty("result");
            Assert.False(result.GetProperty("unregistered").GetBoolean(), operation.ToString());
            var item = Assert.Single(result.GetProperty("blockingItems").EnumerateArray());
            Assert.Equal(("instance", "web-off"), (item.GetProperty("kind").GetString(), item.GetProperty("id").GetString()));
            Assert.Equal("registered", (await Api.GetResourceAsync(client, name)).GetProperty("state").GetString());
            Assert.Equal("web-off:running", Describe((await GetJsonAsync(client, $"api/v1/resources/{name}/instances")).GetProperty("items")));
        }
        finally
        {
            RepositoryPaths.DeleteScratchFolder(folder);
        }
    }

    [Fact]
    public async Task UnregisterAppliance_NotInUse_IsUnregisteredAndTheAgentForgetsTheDevice()
    {
        await using var appliance = await LoadBalancerAppliance.StartAsync(members: 1, $"createUser lbadmin SHA-256 \"{AuthPassword}\" AES \"{PrivPassword}\"\nrwuser lbadmin priv");
        await using var agent = await fixture.StartAgentAsync("agent-unreg-lb", "unreg-lb-site", AgentSettings);
        using var client = fixture.Host.CreateClient();
        var endpoint = $"127.0.0.1:{appliance.Snmpd.EndPoint.Port}";
        var name = await Api.RegisteredAsync(client, "unreg-lb-site",
            $$"""{"kind":"snmpAppliance","endpoint":"{{endpoint}}","deviceProfile":"simulated-load-balancer","credential":"lb","members":["1"]}""");

        var operation = await UnregisterAsync(client, $"api/v1/resources/{name}", null);

        Assert.True(operation.GetProperty("result").GetProperty("unregistered").GetBoolean(), operation.ToString());
        var resource = await Api.GetResourceAsync(client, name);
        Assert.Equal("unregistered", resource.GetProperty("state").GetString());
        Assert.Contains($"The agent released: SNMPv3 engine state of {endpoint} forgotten.", Reasons(resource));
    }

    [Theory]
    [InlineData("?force=maybe", HttpStatusCode.BadRequest)]
    [InlineData("?force=true&force=false", HttpStatusCode.BadRequest)]
    [InlineData("", HttpStatusCode.NotFound)]
    public async Task Unregister_BadQueryOrUnknownResource_IsAProblem(string query, HttpStatusCode expected)
    {
        using var client = fixture.Host.CreateClient();

        using var response = await client.DeleteAsync(new Uri($"api/v1/resources/no-such-resource{query}", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<JsonElement> UnregisterAsync(HttpClient client, string path, string? etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(path, UriKind.Relative));
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await Api.ReadJsonAsync(response);
        Assert.Equal(accepted.GetProperty("operationUrl").GetString(), response.Headers.Location?.OriginalString);
        var operation = await Api.WaitForOperationAsync(client, accepted.GetProperty("operationId").GetString()!,
            o => Api.HasStatus(o, "succeeded") || Api.HasStatus(o, "failed"), Deadline, "the unregistration to finish");
        Assert.True(Api.HasStatus(operation, "succeeded"), operation.ToString());
        return operation;
    }

    private static async Task<HttpStatusCode> DeleteStatusAsync(HttpClient client, string path, string? etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(path, UriKind.Relative));
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<string> GetETagAsync(HttpClient client, string name)
    {
        using var response = await client.GetAsync(new Uri($"api/v1/resources/{name}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("GET of a resource answered without an ETag.");
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Api.ReadJsonAsync(response);
    }

    private static string Describe(JsonElement items) =>
        string.Join(",", items.EnumerateArray().Select(i => $"{i.GetProperty("name").GetString()}:{i.GetProperty("state").GetString()}"));

    private static List<string> Reasons(JsonElement resource) => resource.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList();
}

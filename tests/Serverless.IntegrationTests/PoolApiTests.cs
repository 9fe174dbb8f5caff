using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Serverless.Snmp;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// The pool API through the local host, over resources registered for real (a libvirt test-driver host and an snmpd
/// appliance, verified by a relay agent through the Service Bus emulator): create, read, list, replace with If-Match,
/// the pool blocking its resources' unregistration, delete.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class PoolApiTests(CommandChannelFixture fixture)
{
    private const string AuthPassword = "pool-auth-pass";
    private const string PrivPassword = "pool-priv-pass";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Pool_OverAnApplianceAndAHost_CreateReadReplaceBlockUnregisterDelete()
    {
        await using var appliance = await LoadBalancerAppliance.StartAsync(members: 2, $"createUser lbadmin SHA-256 \"{AuthPassword}\" AES \"{PrivPassword}\"\nrwuser lbadmin priv");
        await using var agent = await fixture.StartAgentAsync("agent-pools", "pool-site", new Dictionary<string, string>
        {
            ["RelayAgent__Libvirt__Uris__0"] = "test:///default",
            ["RelayAgent__Snmp__Credentials__lb__Version"] = "3",
            ["RelayAgent__Snmp__Credentials__lb__User"] = "lbadmin",
            ["RelayAgent__Snmp__Credentials__lb__AuthProtocol"] = "SHA-256",
            ["RelayAgent__Snmp__Credentials__lb__AuthPassword"] = AuthPassword,
            ["RelayAgent__Snmp__Credentials__lb__PrivProtocol"] = "AES",
            ["RelayAgent__Snmp__Credentials__lb__PrivPassword"] = PrivPassword,
        });
        using var client = fixture.Host.CreateClient();
        var lb = await Api.RegisteredAsync(client, "pool-site", $$"""{"kind":"snmpAppliance","endpoint":"127.0.0.1:{{appliance.Snmpd.EndPoint.Port}}","deviceProfile":"simulated-load-balancer","credential":"lb"}""");
        var kvm = await Api.RegisteredAsync(client, "pool-site", """{"kind":"virtualizationHost","endpoint":"test:///default"}""");
        var pool = "pool-" + Guid.NewGuid().ToString("N")[..8];
        var members = $$"""[{"id":"lb-a","resource":"{{lb}}","index":"1"},{"id":"lb-b","resource":"{{lb}}","index":"2"},{"id":"vm-a","resource":"{{kvm}}","instance":"test"}]""";
        var policy = """{"metric":"connections.active","activateAbove":100,"activateAfterSeconds":60,"deactivateBelow":40,"deactivateAfterSeconds":120,"minActive":1,"maxActive":3}""";

        using var created = await client.PostAsync(new Uri("api/v1/pools", UriKind.Relative),
            Api.Json($$"""{"name":"{{pool}}","serviceKind":"loadBalancer","members":{{members}},"policy":{{policy}}}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/pools/{pool}", created.Headers.Location?.OriginalString);
        var createdETag = created.Headers.ETag?.ToString();
        Assert.NotNull(createdETag);

        // Two schedule windows in force at once are refused, naming the later one's path and the other; nothing is stored.
        var overlapping = policy.Replace("}", ""","schedule":[{"name":"day","cron":"0 8 * * 1-5","timeZone":"Europe/Berlin","durationMinutes":600,"minActive":2},""" +
            """{"name":"late","cron":"0 17 * * *","timeZone":"Europe/Berlin","durationMinutes":120,"maxActive":1}]}""", StringComparison.Ordinal);
        using (var refused = await client.PostAsync(new Uri("api/v1/pools", UriKind.Relative),
            Api.Json($$"""{"name":"{{pool}}-sched","serviceKind":"loadBalancer","members":{{members}},"policy":{{overlapping}}}""")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var message = (await Api.ReadJsonAsync(refused)).GetProperty("errors").GetProperty("policy.schedule[1]")[0].GetString();
            Assert.Contains("'late' overlaps 'day' (policy.schedule[0])", message, StringComparison.Ordinal);
        }

        using (var absent = await client.GetAsync(new Uri($"api/v1/pools/{pool}-sched", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
        }

        var read = await GetAsync(client, $"api/v1/pools/{pool}");
        Assert.Equal(["lb-a:pool-site:inactive", "lb-b:pool-site:inactive", "vm-a:pool-site:inactive"],
            read.GetProperty("members").EnumerateArray().Select(m => $"{m.GetProperty("id").GetString()}:{m.GetProperty("zone").GetString()}:{m.GetProperty("state").GetString()}"));
        Assert.Equal("clientFirst", read.GetProperty("policy").GetProperty("preference").GetString());
        Assert.Contains(pool, (await GetAsync(client, "api/v1/pools")).GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()));

        var replacement = $$"""{"serviceKind":"loadBalancer","members":{{members}},"policy":{{policy.Replace("\"maxActive\":3", "\"maxActive\":2", StringComparison.Ordinal)}}}""";
        Assert.Equal(HttpStatusCode.OK, await PutAsync(client, pool, replacement, createdETag!));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await PutAsync(client, pool, replacement, createdETag!));
        Assert.Equal(2, (await GetAsync(client, $"api/v1/pools/{pool}")).GetProperty("policy").GetProperty("maxActive").GetInt32());

        // The evaluator keeps the minimum: lb-a comes up on the device.
        await Eventually.GetAsync(async () => (await GetAsync(client, $"api/v1/pools/{pool}")).GetProperty("members")[0].GetProperty("state").GetString() == "active" ? "active" : null,
            TimeSpan.FromSeconds(30), "lb-a active");

        // Its agent polls it once active: the readings it posted come back for a chart, with the policy's thresholds.
        var connections = (double)appliance.Members()[0].Connections;
        var metrics = await Eventually.GetAsync<JsonElement?>(async () =>
        {
            var current = await GetAsync(client, $"api/v1/pools/{pool}/metrics?minutes=5");
            return current.GetProperty("members")[0].GetProperty("readings").GetArrayLength() > 0 ? current : null;
        }, TimeSpan.FromSeconds(30), "lb-a's readings");
        Assert.Equal(("connections.active", 100, 40), (metrics!.Value.GetProperty("metric").GetString(), metrics.Value.GetProperty("activateAbove").GetDouble(), metrics.Value.GetProperty("deactivateBelow").GetDouble()));
        Assert.Equal(["lb-a", "lb-b", "vm-a"], metrics.Value.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.All(metrics.Value.GetProperty("members")[0].GetProperty("readings").EnumerateArray(), r => Assert.Equal(connections, r.GetProperty("value").GetDouble()));
        using (var badWindow = await client.GetAsync(new Uri($"api/v1/pools/{pool}/metrics?minutes=0", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badWindow.StatusCode);
            Assert.True((await Api.ReadJsonAsync(badWindow)).GetProperty("errors").TryGetProperty("minutes", out _));
        }

        using (var unknown = await client.GetAsync(new Uri("api/v1/pools/no-such-pool/metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using (var blocked = await client.DeleteAsync(new Uri($"api/v1/resources/{lb}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
            var item = Assert.Single((await Api.ReadJsonAsync(blocked)).GetProperty("blockingItems").EnumerateArray());
            Assert.Equal(("pool", pool), (item.GetProperty("kind").GetString(), item.GetProperty("id").GetString()));
        }

        // Forced: the member is taken out of service on the device first, and stays in its pool, inactive.
        using (var forced = await client.DeleteAsync(new Uri($"api/v1/resources/{lb}?force=true", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Accepted, forced.StatusCode);
            var operationId = (await Api.ReadJsonAsync(forced)).GetProperty("operationId").GetString()!;
            var operation = await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "succeeded") || Api.HasStatus(o, "failed"), Deadline, "the forced unregistration");
            Assert.True(operation.GetProperty("result").GetProperty("unregistered").GetBoolean(), operation.ToString());
            Assert.Contains("Took 1 pool member(s) out of service", operation.GetProperty("result").GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
        }

        await using (var snmp = new SnmpClient())
        {
            var adminState = await snmp.GetAsync(new CommunityTarget(appliance.Snmpd.EndPoint, SnmpdProcess.ReadCommunity), [Oid.Parse("1.3.6.1.4.1.8072.9999.1.1.1")]);
            Assert.Equal(2, adminState[0].Value.AsInt32());
        }

        var drained = (await GetAsync(client, $"api/v1/pools/{pool}")).GetProperty("members")[0];
        Assert.Equal(("inactive", $"drained: '{lb}' is being unregistered"), (drained.GetProperty("state").GetString(), drained.GetProperty("reason").GetString()));

        // An instance's host metrics reach the pool too: the agent reads them through libvirt on subscription.
        var compute = "compute-" + Guid.NewGuid().ToString("N")[..6];
        using (var created2 = await client.PostAsync(new Uri("api/v1/pools", UriKind.Relative), Api.Json($$$"""
            {"name":"{{{compute}}}","serviceKind":"compute","members":[{"id":"vm","resource":"{{{kvm}}}","instance":"test"}],
             "policy":{"metric":"memory.kib","activateAbove":1e12,"activateAfterSeconds":60,"deactivateBelow":1,"deactivateAfterSeconds":60,"metricsIntervalSeconds":5}}
            """)))
        {
            Assert.Equal(HttpStatusCode.Created, created2.StatusCode);
        }

        var reading = await Eventually.GetAsync(async () =>
        {
            var vm = (await GetAsync(client, $"api/v1/pools/{compute}")).GetProperty("members")[0];
            return vm.TryGetProperty("latestMetric", out var value) ? (double?)value.GetDouble() : null;
        }, TimeSpan.FromSeconds(30), "the instance's memory.kib reading");
        Assert.True(reading > 0);

        using (var deleted = await client.DeleteAsync(new Uri($"api/v1/pools/{pool}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var gone = await client.GetAsync(new Uri($"api/v1/pools/{pool}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Api.ReadJsonAsync(response);
    }

    private static async Task<HttpStatusCode> PutAsync(HttpClient client, string pool, string body, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"api/v1/pools/{pool}", UriKind.Relative)) { Content = Api.Json(body) };
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}

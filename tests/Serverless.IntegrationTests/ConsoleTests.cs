using System.Net;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// The web console in headless Chromium against the running local system: a real appliance polled by a real agent, its
/// pool's page drawing those readings; and the pages of resources, instances, stacks, migrations and operations, with
/// actions taken in the browser (stop an instance, migrate one, roll a failed stack back) checked on the hosts through
/// their agents. The browser is driven by the scripts in <c>Console/</c> (<see cref="ConsoleBrowser"/>); their
/// screenshots are kept under <c>.local/test-results/console</c>.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class ConsoleTests(CommandChannelFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly TestSites _sites = new(fixture, "console");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sites.DisposeAsync();

    [Fact]
    public async Task Console_SignsIn_ListsZonesAndPools_AndThePoolChartShowsTheReadingsTheAgentPosted()
    {
        await using var appliance = await LoadBalancerAppliance.StartAsync(members: 1);
        appliance.SteerLoad(1, 60, 20);
        using var client = fixture.Host.CreateClient();
        var (agent, pool) = await LoadBalancerPools.CreateAsync(
            fixture, client, appliance, "console-lb", new Dictionary<string, string> { ["RelayAgent__HeartbeatIntervalSeconds"] = "2" });
        await using var _ = agent;
        try
        {
            await Eventually.GetAsync(async () =>
            {
                using var response = await client.GetAsync(new Uri($"api/v1/pools/{pool}/metrics", UriKind.Relative));
                var readings = (await Api.ReadJsonAsync(response)).GetProperty("members")[0].GetProperty("readings");
                return readings.GetArrayLength() > 0 && readings.EnumerateArray().All(r => r.GetProperty("value").GetDouble() == 60) ? "readings" : null;
            }, TimeSpan.FromSeconds(40), "the agent's first readings of lb-1, 60 connections");

            await ConsoleBrowser.RunAsync(fixture.Host, "console.test.mjs", new Dictionary<string, string>
            {
                ["ZONE"] = "console-lb",
                ["POOL"] = pool,
                ["MEMBER"] = "lb-1",
                ["READING"] = "60",
                ["WINDOW_CRON"] = LoadBalancerPools.WindowCron,
            });
        }
        finally
        {
            using var deleted = await client.DeleteAsync(new Uri($"api/v1/pools/{pool}", UriKind.Relative));
        }
    }

    [Fact]
    public async Task Console_ShowsResourcesInstancesStacksMigrationsAndStuckOperations_AndItsActionsTakeEffectOnTheHosts()
    {
        await using var appliance = await LoadBalancerAppliance.StartAsync(members: 1);
        using var client = fixture.Host.CreateClient();
        var (dc, cloud) = ("con-dc", "con-cloud");
        var lbCredential = new Dictionary<string, string>
        {
            ["RelayAgent__Snmp__Credentials__lb__Version"] = "2c",
            ["RelayAgent__Snmp__Credentials__lb__Community"] = SnmpdProcess.WriteCommunity,
        };
        var dcHost = await _sites.HostZoneAsync(client, dc, agentEnvironment: lbCredential);
        var cloudHost = await _sites.HostZoneAsync(client, cloud, "provider");
        var lb = await Api.RegisteredAsync(client, dc, $$"""{"kind":"snmpAppliance","endpoint":"127.0.0.1:{{appliance.Snmpd.EndPoint.Port}}","deviceProfile":"simulated-load-balancer","credential":"lb"}""");
        var (rejected, _) = await Api.RegisterAndWaitAsync(client, dc,
            $$"""{"kind":"snmpAppliance","endpoint":"127.0.0.1:{{appliance.Snmpd.EndPoint.Port}}","deviceProfile":"simulated-load-balancer","credential":"lb-typo"}""");
        await LaunchAsync(client, "con-web", dc);
        await LaunchAsync(client, "con-mover", dc);

        // A stack kept where it failed: its instance stays until the console rolls it back.
        var template = $$$"""
            {"template":{"schemaVersion":1,"onFailure":"keep",
             "tiers":[{"name":"web","count":1,"zone":"{{{dc}}}","size":{"vcpus":1,"memoryMiB":256},"image":"{{{TestDriverNode.Image}}}"}],
             "appliances":[{"name":"bad","appliance":"{{{lb}}}","members":["1"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.2.{member}","type":"u","value":"5"}],"dependsOn":["web"]}]}}
            """;
        await ApplyAsync(client, "con-shop", template);
        await WaitForStackAsync(client, "con-shop", "failed");
        await HostDomains.WaitForAsync(client, dcHost, ["con-mover:running", "con-shop-web-1:running", "con-web:running"]);

        // An operation nobody answers: a ping to a zone without agents, waiting longer than the browser takes.
        await Api.CreateZoneAsync(client, "con-silent");
        var stuck = await Api.PingAsync(client, "con-silent", timeoutSeconds: 300);
        await Api.WaitForOperationAsync(client, stuck, o => o.TryGetProperty("stuck", out _), TimeSpan.FromSeconds(30), "the ping to show as stuck");

        await ConsoleBrowser.RunAsync(fixture.Host, "workflows.test.mjs", new Dictionary<string, string>
        {
            ["HOST"] = dcHost,
            ["REJECTED"] = rejected,
            ["INSTANCE"] = "con-web",
            ["MOVER"] = "con-mover",
            ["TARGET_ZONE"] = cloud,
            ["STACK"] = "con-shop",
            ["STUCK"] = stuck,
            ["SILENT_ZONE"] = "con-silent",
        });

        // What the browser did, seen on the hosts: con-web stopped, con-mover moved, the stack's instance terminated.
        await HostDomains.WaitForAsync(client, dcHost, ["con-web:shutOff"]);
        await HostDomains.WaitForAsync(client, cloudHost, ["con-mover:running"]);
        using var stack = await client.GetAsync(new Uri("api/v1/stacks/con-shop", UriKind.Relative));
        Assert.Equal("rolledBack", (await Api.ReadJsonAsync(stack)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Console_ContinuesAFailedRollback_AndTheDeviceGetsItsValueBack()
    {
        await using var appliance = await LoadBalancerAppliance.StartAsync(members: 1);
        appliance.SetAdminState(1, 2);
        using var client = fixture.Host.CreateClient();
        const string zone = "con-rb";
        var host = await _sites.HostZoneAsync(client, zone, categories: """["compute"]""", agentEnvironment: new Dictionary<string, string>
        {
            ["RelayAgent__Snmp__Credentials__lb__Version"] = "2c",
            ["RelayAgent__Snmp__Credentials__lb__Community"] = SnmpdProcess.WriteCommunity,
        });
        var lb = await Api.RegisteredAsync(client, zone, $$"""{"kind":"snmpAppliance","endpoint":"127.0.0.1:{{appliance.Snmpd.EndPoint.Port}}","deviceProfile":"simulated-load-balancer","credential":"lb"}""");

        // Puts member 1 in service, then fails on a read-only OID; kept where it failed.
        var template = $$$"""
            {"template":{"schemaVersion":1,"onFailure":"keep",
             "tiers":[{"name":"web","count":1,"zone":"{{{zone}}}","size":{"vcpus":1,"memoryMiB":256},"image":"{{{TestDriverNode.Image}}}"}],
             "appliances":[
               {"name":"lb","appliance":"{{{lb}}}","members":["1"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.1.{member}","type":"i","value":"1"}],"dependsOn":["web"]},
               {"name":"bad","appliance":"{{{lb}}}","members":["1"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.2.{member}","type":"u","value":"5"}],"dependsOn":["lb"]}]}}
            """;
        await ApplyAsync(client, "con-rb", template);
        await WaitForStackAsync(client, "con-rb", "failed");
        Assert.Equal(1, appliance.Members()[0].AdminState);

        // The device hangs while the rollback sets member 1 back: that undo fails, the instance's succeeds.
        await appliance.Snmpd.FreezeAsync();
        try
        {
            using (var rollback = await client.PostAsync(new Uri("api/v1/stacks/con-rb/rollback", UriKind.Relative), null))
            {
                Assert.True(rollback.StatusCode == HttpStatusCode.Accepted, await rollback.Content.ReadAsStringAsync());
            }

            await WaitForStackAsync(client, "con-rb", "rollbackFailed");
        }
        finally
        {
            await appliance.Snmpd.ThawAsync();
        }

        await HostDomains.WaitForAsync(client, host, []);

        // A hung device still applies what reached it: after the thaw the rollback's late SET lands. Someone at the
        // device then puts member 1 back in service, so what continue-rollback writes is seen.
        await Eventually.TrueAsync(() => appliance.Members()[0].AdminState == 2, TimeSpan.FromSeconds(15), "the late SET to land");
        appliance.SetAdminState(1, 1);

        await ConsoleBrowser.RunAsync(fixture.Host, "rollback.test.mjs", new Dictionary<string, string> { ["STACK"] = "con-rb", ["ITEM"] = "appliance:lb" });

        Assert.Equal(2, appliance.Members()[0].AdminState);
    }

    [Fact]
    public async Task ConsoleFiles_AreSentBrotliOrGzipWhenTheBrowserAcceptsIt_AndDecompressToTheSameBytes()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        async Task<(string? Encoding, byte[] Body)> GetAsync(string? acceptEncoding)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/console/chart.umd.min.js");
            if (acceptEncoding is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            }

            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            return (response.Content.Headers.ContentEncoding.SingleOrDefault(), await response.Content.ReadAsByteArrayAsync());
        }

        static byte[] Decompress(byte[] body, Func<Stream, Stream> decompressor)
        {
            using var output = new MemoryStream();
            using (var reading = decompressor(new MemoryStream(body)))
            {
                reading.CopyTo(output);
            }

            return output.ToArray();
        }

        var (plainEncoding, plain) = await GetAsync(null);
        var (brEncoding, br) = await GetAsync("gzip, deflate, br");
        var (gzipEncoding, gzip) = await GetAsync("br;q=0, gzip");
        var (identityEncoding, identity) = await GetAsync("identity");

        Assert.Equal((null, "br", "gzip", null), (plainEncoding, brEncoding, gzipEncoding, identityEncoding));
        Assert.Equal(plain, identity);
        Assert.Equal(plain, Decompress(br, s => new System.IO.Compression.BrotliStream(s, System.IO.Compression.CompressionMode.Decompress)));
        Assert.Equal(plain, Decompress(gzip, s => new System.IO.Compression.GZipStream(s, System.IO.Compression.CompressionMode.Decompress)));
        Assert.True(br.Length < plain.Length / 3, $"Brotli: {br.Length} of {plain.Length} bytes");
    }

    private static async Task ApplyAsync(HttpClient client, string stack, string template)
    {
        using var planned = await client.PostAsync(new Uri($"api/v1/stacks/{stack}/plans", UriKind.Relative), Api.Json(template));
        Assert.True(planned.StatusCode == HttpStatusCode.Created, await planned.Content.ReadAsStringAsync());
        var planId = (await Api.ReadJsonAsync(planned)).GetProperty("planId").GetString();
        using var applied = await client.PostAsync(new Uri($"api/v1/stacks/{stack}/plans/{planId}/apply", UriKind.Relative), null);
        Assert.True(applied.StatusCode == HttpStatusCode.Accepted, await applied.Content.ReadAsStringAsync());
    }

    private static Task WaitForStackAsync(HttpClient client, string stack, string status) =>
        Eventually.GetAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri($"api/v1/stacks/{stack}", UriKind.Relative));
            return (await Api.ReadJsonAsync(response)).GetProperty("status").GetString() == status ? status : null;
        }, Deadline, $"the stack {stack} to end {status}");

    private static async Task LaunchAsync(HttpClient client, string name, string zone)
    {
        using var launched = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(
            $$"""{"name":"{{name}}","zone":"{{zone}}","size":{"vcpus":1,"memoryMiB":256},"image":"{{TestDriverNode.Image}}"}"""));
        Assert.True(launched.StatusCode == HttpStatusCode.Accepted, await launched.Content.ReadAsStringAsync());
        await InstanceCalls.WaitAsync(client, launched, Deadline);
    }
}

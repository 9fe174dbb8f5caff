using System.Net;
using System.Net.Http.Headers;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// What the local host prints: one line per invocation and no ASP.NET Core request lines by default, the agents'
/// heartbeats only when they fail; <c>LocalHost__Verbose</c> brings back everything.
/// </summary>
[Collection(LocalSystemCollection.Name)]
public sealed class LocalHostLoggingTests(LocalSystemFixture system)
{
    [Fact]
    public async Task DefaultLogs_OneLinePerInvocation_NoRequestLines_HeartbeatsOnlyWhenRefused()
    {
        var zone = "logs-" + Guid.NewGuid().ToString("N")[..8];
        using var client = system.Host.CreateClient();
        await Api.CreateZoneAsync(client, zone);
        using (var read = await client.GetAsync(new Uri($"api/v1/zones/{zone}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        var heartbeats = await PostHeartbeatsAsync(system.Host, zone);
        using (var refused = await PostHeartbeatAsync(system.Host, "sa1.not-a-real-token.secret", zone))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var lines = await Eventually.GetAsync(() =>
        {
            var current = system.Host.Output.Split('\n');
            return Task.FromResult(current.Any(l => l.Contains("'PostAgentHeartbeat'", StringComparison.Ordinal)) ? current : null);
        }, TimeSpan.FromSeconds(10), "the refused heartbeat's line");

        var zoneLine = Assert.Single(lines, l => l.Contains($"/api/v1/zones/{zone} ", StringComparison.Ordinal));
        Assert.Matches(@"Executed 'GetZone' \(GET /api/v1/zones/logs-[0-9a-f]{8} → 200, \d+ ms\)", zoneLine);
        Assert.DoesNotContain(lines, l => l.Contains("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Equal(3, heartbeats);
        Assert.Contains(lines, l => l.Contains("Executed 'PostAgentHeartbeat' (POST /api/v1/agent/heartbeats → 401", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("Executed 'PostAgentHeartbeat' (POST /api/v1/agent/heartbeats → 200", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerboseLogs_ShowRequestLinesAndEveryHeartbeat()
    {
        await using var host = await LocalHostProcess.StartAsync(system.Azurite, new Dictionary<string, string> { ["LocalHost__Verbose"] = "true" });
        var zone = "verbose-" + Guid.NewGuid().ToString("N")[..8];
        using (var client = host.CreateClient())
        {
            await Api.CreateZoneAsync(client, zone);
        }

        Assert.Equal(3, await PostHeartbeatsAsync(host, zone));

        await Eventually.TrueAsync(
            () => host.Output.Split('\n').Count(l => l.Contains("Executed 'PostAgentHeartbeat' (POST /api/v1/agent/heartbeats → 200", StringComparison.Ordinal)) == 3,
            TimeSpan.FromSeconds(10), "three heartbeat lines");
        Assert.Contains("Microsoft.AspNetCore.Hosting.Diagnostics", host.Output, StringComparison.Ordinal);
    }

    /// <summary>Three accepted heartbeats of a fresh agent of <paramref name="zone"/>; returns how many were accepted.</summary>
    private static async Task<int> PostHeartbeatsAsync(LocalHostProcess host, string zone)
    {
        using var admin = host.CreateClient(LocalHostProcess.MasterKey);
        using var issued = await admin.PostAsync(new Uri("api/v1/agents/credentials", UriKind.Relative), Api.Json($$"""{"agentId":"agent-{{zone}}","agentGroup":"{{zone}}"}"""));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var token = (await Api.ReadJsonAsync(issued)).GetProperty("token").GetString()!;
        var accepted = 0;
        for (var i = 0; i < 3; i++)
        {
            using var response = await PostHeartbeatAsync(host, token, zone);
            accepted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        return accepted;
    }

    private static async Task<HttpResponseMessage> PostHeartbeatAsync(LocalHostProcess host, string token, string zone)
    {
        using var client = host.CreateClient(key: null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.PostAsync(new Uri("api/v1/agent/heartbeats", UriKind.Relative), Api.Json($$"""
            {"schemaVersion":1,"agentId":"agent-{{zone}}","agentGroup":"{{zone}}","sentAt":"{{DateTimeOffset.UtcNow:O}}","agentVersion":"test",
             "hostName":"test-host","startedAt":"{{DateTimeOffset.UtcNow:O}}","role":"active","commandsExecuted":0}
            """));
    }
}

using System.Net;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>Heartbeat silence → Disconnected (commands fail at once) → the agent back → Connected, through the API.</summary>
[Collection(CommandChannelCollection.Name)]
public sealed class ConnectivityTests(CommandChannelFixture fixture)
{
    [Fact]
    public async Task SilentGroup_IsDisconnected_CommandsFailFast_AndAReturningAgentReconnectsIt()
    {
        using var client = fixture.Host.CreateClient();
        // A long interval: only the heartbeat sent on taking the session can show the agent active within seconds.
        var agent = await fixture.StartAgentAsync("agent-beats", "beat-site", new Dictionary<string, string> { ["RelayAgent__HeartbeatIntervalSeconds"] = "60" });
        try
        {
            var connected = await WaitForStatusAsync(client, "beat-site", "connected", TimeSpan.FromSeconds(30));
            Assert.Equal("agent-beats", connected.GetProperty("agents")[0].GetProperty("agentId").GetString());
            // The agent heartbeats again as soon as it takes its session, not an interval later.
            await Eventually.GetAsync(
                async () => (await WaitForStatusAsync(client, "beat-site", "connected", TimeSpan.FromSeconds(5))).GetProperty("agents")[0].GetProperty("role").GetString() is "active" ? "active" : null,
                TimeSpan.FromSeconds(10),
                "the agent's heartbeat on taking its session");
        }
        finally
        {
            await agent.StopAsync(TimeSpan.FromSeconds(20));
            await agent.DisposeAsync();
        }

        await WaitForStatusAsync(client, "beat-site", "disconnected", TimeSpan.FromSeconds(CommandChannelFixture.DisconnectedAfterSeconds + 30));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var operationId = await Api.PingAsync(client, "beat-site", timeoutSeconds: 120);
        var failed = await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "failed"), TimeSpan.FromSeconds(60), "the ping to fail");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), "the ping failed fast, not at its 120 s deadline");
        Assert.Contains("are disconnected", failed.GetProperty("error").ToString(), StringComparison.Ordinal);

        // A registration in the silent zone is refused the same way, long before its verification timeout.
        var (_, registration) = await Api.RegisterAndWaitAsync(
            client, "beat-site", """{"kind":"virtualizationHost","endpoint":"test:///default","serviceCategories":["compute"],"verificationTimeoutSeconds":120}""");
        Assert.True(registration.GetProperty("result").GetProperty("state").GetString() == "rejected", registration.ToString());
        Assert.Contains("are disconnected", registration.GetProperty("result").ToString(), StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), "the registration was refused, not timed out");

        await using var back = await fixture.StartAgentAsync("agent-beats", "beat-site");
        await WaitForStatusAsync(client, "beat-site", "connected", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task RemoveGroup_RevokesItsCredentials_TheAgentStopsWithExitCode3_AndCommandsFailAtOnce()
    {
        using var client = fixture.Host.CreateClient();
        await using var agent = await fixture.StartAgentAsync("agent-removed", "removed-site", new Dictionary<string, string> { ["RelayAgent__HeartbeatIntervalSeconds"] = "1" });
        await WaitForStatusAsync(client, "removed-site", "connected", TimeSpan.FromSeconds(30));

        using var removal = await client.DeleteAsync(new Uri("api/v1/zones/removed-site/agents", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, removal.StatusCode);
        var removed = await Api.ReadJsonAsync(removal);
        Assert.Equal(("removed", 1), (removed.GetProperty("status").GetString(), removed.GetProperty("revokedCredentials").GetInt32()));
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the agent stopped after its credential was revoked");
        Assert.True(agent.ExitCode == 3, agent.Output);
        Assert.Contains("revoked this agent's credential", agent.Output, StringComparison.Ordinal);

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("removed", (await WaitForStatusAsync(client, "removed-site", "removed", TimeSpan.FromSeconds(5))).GetProperty("status").GetString());
        var operationId = await Api.PingAsync(client, "removed-site", timeoutSeconds: 120);
        var failed = await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "failed"), TimeSpan.FromSeconds(60), "the ping to fail");
        Assert.Contains("were removed at", failed.GetProperty("error").ToString(), StringComparison.Ordinal);

        using var unknown = await client.DeleteAsync(new Uri("api/v1/zones/no-such-zone/agents", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task ZoneAgents_UnknownZone_Is404_AndAZoneWithoutAgentsIsUnknown()
    {
        using var client = fixture.Host.CreateClient();
        using var missing = await client.GetAsync(new Uri("api/v1/zones/no-such-zone/agents", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        await Api.CreateZoneAsync(client, "quiet-site");
        using var quiet = await client.GetAsync(new Uri("api/v1/zones/quiet-site/agents", UriKind.Relative));
        var body = await Api.ReadJsonAsync(quiet);
        Assert.Equal(("unknown", 0), (body.GetProperty("status").GetString(), body.GetProperty("agents").GetArrayLength()));
    }

    private static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string zone, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement body = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync(new Uri($"api/v1/zones/{zone}/agents", UriKind.Relative));
            body = await Api.ReadJsonAsync(response);
            if (response.StatusCode == HttpStatusCode.OK && body.GetProperty("status").GetString() == status)
            {
                return body;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"zone {zone} did not become {status} within {timeout.TotalSeconds:0} s; last answer {body}");
    }
}

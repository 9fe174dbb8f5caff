using System.Net;

namespace Serverless.IntegrationTests;

[Collection(CommandChannelCollection.Name)]
public sealed class CommandChannelTests(CommandChannelFixture fixture)
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_orchestration_pings_a_zone_agent_through_service_bus_and_completes_with_its_result()
    {
        await using var agent = await fixture.StartAgentAsync("agent-ping", "ping-zone");
        using var client = fixture.Host.CreateClient();

        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        client.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        var operationId = await Api.PingAsync(client, "ping-zone");
        var operation = await Api.WaitForOperationAsync(client, operationId, o => !Api.HasStatus(o, "running") && !Api.HasStatus(o, "pending"), OperationTimeout, "the ping");

        Assert.True(Api.HasStatus(operation, "succeeded"), operation.ToString());
        var result = operation.GetProperty("result");
        Assert.Equal("succeeded", result.GetProperty("status").GetString());
        Assert.Equal("agent-ping", result.GetProperty("agentId").GetString());
        Assert.Equal("agent-ping", result.GetProperty("output").GetProperty("agentId").GetString());
        Assert.Equal("ping-zone", result.GetProperty("output").GetProperty("agentGroup").GetString());
        Assert.Single(agent.ExecutedCommandIds());

        // One trace from the HTTP request through the orchestration and Service Bus to the agent and back.
        Assert.Contains(traceId, result.GetProperty("trace").GetProperty("traceParent").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_to_a_group_without_an_agent_fails_at_its_deadline_with_the_reason()
    {
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, "no-agent-zone");

        var operationId = await Api.PingAsync(client, "no-agent-zone", timeoutSeconds: 3);
        var operation = await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "failed"), OperationTimeout, "the ping to fail");

        Assert.True(operation.TryGetProperty("error", out var error), operation.ToString());
        var message = error.GetProperty("message").GetString();
        Assert.Equal("No agent of group 'no-agent-zone' answered agent.ping within 3 s.", message);
    }

    [Fact]
    public async Task A_ping_to_an_unknown_zone_is_not_found_and_a_bad_timeout_names_the_field()
    {
        using var client = fixture.Host.CreateClient();
        using var unknown = await client.PostAsync(new Uri("api/v1/zones/nowhere/ping", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        await Api.CreateZoneAsync(client, "timeout-zone");
        using var bad = await client.PostAsync(new Uri("api/v1/zones/timeout-zone/ping?timeoutSeconds=0", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("timeoutSeconds", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uplink_calls_without_a_valid_agent_credential_are_refused()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        using var missing = await anonymous.PostAsync(new Uri("api/v1/agent/results", UriKind.Relative), Api.Json("{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sa1.00000000000000000000000000000000.forged");
        using var forged = await anonymous.PostAsync(new Uri("api/v1/agent/heartbeats", UriKind.Relative), Api.Json("{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }
}

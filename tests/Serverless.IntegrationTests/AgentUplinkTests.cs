using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>The agents' HTTPS uplink on the real local host: heartbeats and metrics with an agent credential.</summary>
[Collection(CommandChannelCollection.Name)]
public sealed class AgentUplinkTests(CommandChannelFixture fixture)
{
    [Fact]
    public async Task Heartbeats_and_metric_batches_are_taken_from_the_credentials_agent_only_and_repeats_are_harmless()
    {
        using var admin = fixture.Host.CreateClient(LocalHostProcess.MasterKey);
        using var issued = await admin.PostAsync(new Uri("api/v1/agents/credentials", UriKind.Relative), Api.Json("""{"agentId":"agent-telemetry","agentGroup":"telemetry-zone"}"""));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var token = (await Api.ReadJsonAsync(issued)).GetProperty("token").GetString()!;
        using var agent = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

        var heartbeat = $$"""{"schemaVersion":1,"agentId":"agent-telemetry","agentGroup":"telemetry-zone","sentAt":"{{now}}","agentVersion":"1.0.0","hostName":"h1","startedAt":"{{now}}","role":"active","commandsExecuted":3}""";
        using var beat = await agent.PostAsync(new Uri("api/v1/agent/heartbeats", UriKind.Relative), Api.Json(heartbeat));
        Assert.Equal(HttpStatusCode.OK, beat.StatusCode);

        var batch = $$"""{"schemaVersion":1,"batchId":"b-1","agentId":"agent-telemetry","agentGroup":"telemetry-zone","samples":[{"resourceId":"lb-1","metric":"cpu.load","value":0.5,"at":"{{now}}"}]}""";
        for (var i = 0; i < 2; i++)
        {
            using var metrics = await agent.PostAsync(new Uri("api/v1/agent/metrics", UriKind.Relative), Api.Json(batch));
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        }

        using var impostor = await agent.PostAsync(
            new Uri("api/v1/agent/heartbeats", UriKind.Relative), Api.Json(heartbeat.Replace("agent-telemetry", "agent-other", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.BadRequest, impostor.StatusCode);
        Assert.Contains("agentId", await impostor.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var textValue = await agent.PostAsync(
            new Uri("api/v1/agent/metrics", UriKind.Relative), Api.Json(batch.Replace("0.5", "\"high\"", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.BadRequest, textValue.StatusCode);
        Assert.Contains("samples[0].value", await textValue.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

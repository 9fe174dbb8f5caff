using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// Agent enrolment end to end: an admin creates a one-time code, the agent's <c>enrol</c> command exchanges it for a
/// credential written to its config file, the agent runs with it; used-up, reused and wrong codes are refused saying
/// why (expiry, a rule of time, is <c>EnrolmentServiceTests</c>' on a manual clock); credentials rotate and are revoked.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class AgentEnrolmentTests(CommandChannelFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EnrolCommand_ExchangesTheCode_AndTheAgentRunsWithTheCredentialItWrote()
    {
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, "enrol-site");
        var code = await CreateEnrolmentAsync("""{"zone":"enrol-site","usageLimit":1,"description":"rack 4"}""");
        var folder = RepositoryPaths.NewScratchFolder("enrol");
        try
        {
            var config = Path.Combine(folder, "agent.json");
            await File.WriteAllTextAsync(config, """{ "RelayAgent": { "HeartbeatIntervalSeconds": 5 } }""");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            await using (var enrol = ChildProcess.Start("dotnet", [RepositoryPaths.RelayAgentAssembly, "enrol", "--url", fixture.Host.BaseAddress.ToString(), "--code", code, "--agent-id", "enrolled-1", "--config", config], new Dictionary<string, string?>(), folder))
            {
                Assert.True(await enrol.WaitForExitAsync(TimeSpan.FromSeconds(30)));
                Assert.True(enrol.ExitCode == 0, enrol.Output);
                Assert.Contains("enrolled: agent enrolled-1 of group enrol-site", enrol.Output, StringComparison.Ordinal);
                Assert.DoesNotContain("sa1.", enrol.Output, StringComparison.Ordinal);
                Assert.DoesNotContain("SharedAccessKey", enrol.Output, StringComparison.Ordinal);
            }

            if (!OperatingSystem.IsWindows())
            {
                // The file existed world-readable; now that it holds the credential, others lose their access.
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(config));
            }

            var section = JsonNode.Parse(await File.ReadAllTextAsync(config))!["RelayAgent"]!;
            Assert.Equal(5, section["HeartbeatIntervalSeconds"]!.GetValue<int>());
            Assert.Equal(("enrol-site", "default", CommandChannelFixture.QueueName), (section["AgentGroup"]!.GetValue<string>(), section["TenantId"]!.GetValue<string>(), section["QueueName"]!.GetValue<string>()));
            Assert.Equal(fixture.AgentConnectionString, section["ServiceBusConnection"]!.GetValue<string>());

            await using var agent = await RelayAgentProcess.StartAsync(new RelayAgentSettings(
                "enrolled-1", "enrol-site", "default", section["ServiceBusConnection"]!.GetValue<string>(), CommandChannelFixture.QueueName, fixture.Host.BaseAddress, section["Credential"]!.GetValue<string>()));
            var operationId = await Api.PingAsync(client, "enrol-site");
            var operation = await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "succeeded") || Api.HasStatus(o, "failed"), Deadline, "the ping");
            Assert.True(Api.HasStatus(operation, "succeeded"), operation.ToString());

            await using var again = ChildProcess.Start("dotnet", [RepositoryPaths.RelayAgentAssembly, "enrol", "--url", fixture.Host.BaseAddress.ToString(), "--code", code, "--agent-id", "enrolled-2", "--config", Path.Combine(folder, "second.json")], new Dictionary<string, string?>(), folder);
            Assert.True(await again.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("enrol: refused (409): The enrolment code is used up.", again.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "second.json")));
        }
        finally
        {
            RepositoryPaths.DeleteScratchFolder(folder);
        }
    }

    [Fact]
    public async Task Enrol_ReusedUsedUpOrWrongCodes_AreRefusedSayingWhy()
    {
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, "enrol-refusals");
        var code = await CreateEnrolmentAsync("""{"zone":"enrol-refusals","usageLimit":2}""");

        Assert.Equal(HttpStatusCode.Created, (await EnrolAsync(client, code, "r-1")).Status);
        var reused = await EnrolAsync(client, code, "r-1");
        Assert.Equal(HttpStatusCode.Conflict, reused.Status);
        Assert.Equal("The enrolment code was already used by this agent.", reused.Body.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Created, (await EnrolAsync(client, code, "r-2")).Status);
        var exhausted = await EnrolAsync(client, code, "r-3");
        Assert.Contains("allowed 2 agents", exhausted.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var wrong = await EnrolAsync(client, code[..^3] + "xyz", "r-5");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Contains("is not a valid enrolment code", wrong.Body.GetProperty("errors").GetProperty("code")[0].GetString(), StringComparison.Ordinal);
        var malformed = await EnrolAsync(client, "not-a-code", "R 6");
        Assert.Equal(2, malformed.Body.GetProperty("errors").EnumerateObject().Count());

        using var admin = fixture.Host.CreateClient(LocalHostProcess.MasterKey);
        using var unknownZone = await admin.PostAsync(new Uri("api/v1/enrolments", UriKind.Relative), Api.Json("""{"zone":"nowhere","usageLimit":0}"""));
        var problem = await Api.ReadJsonAsync(unknownZone);
        Assert.Equal(HttpStatusCode.BadRequest, unknownZone.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("usageLimit", out _));
    }

    [Fact]
    public async Task Credentials_RotateWithAGracePeriod_AndRevokedOnesAreRefusedAtOnce()
    {
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, "rotate-site");
        var code = await CreateEnrolmentAsync("""{"zone":"rotate-site"}""");
        var enrolled = await EnrolAsync(client, code, "rotating");
        var first = enrolled.Body.GetProperty("token").GetString()!;

        using var rotate = new HttpRequestMessage(HttpMethod.Post, "api/v1/agent/credentials/rotate");
        rotate.Headers.Authorization = new("Bearer", first);
        using var rotated = await client.SendAsync(rotate);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var second = (await Api.ReadJsonAsync(rotated)).GetProperty("token").GetString()!;
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.OK, await HeartbeatAsync(client, first, "rotating", "rotate-site"));
        Assert.Equal(HttpStatusCode.OK, await HeartbeatAsync(client, second, "rotating", "rotate-site"));

        using var admin = fixture.Host.CreateClient(LocalHostProcess.MasterKey);
        var secondId = second.Split('.')[1];
        using var revoked = await admin.DeleteAsync(new Uri($"api/v1/agents/credentials/{secondId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await HeartbeatAsync(client, second, "rotating", "rotate-site"));
        using var missing = await admin.DeleteAsync(new Uri("api/v1/agents/credentials/0123456789abcdef0123456789abcdef", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task<string> CreateEnrolmentAsync(string body)
    {
        using var admin = fixture.Host.CreateClient(LocalHostProcess.MasterKey);
        using var response = await admin.PostAsync(new Uri("api/v1/enrolments", UriKind.Relative), Api.Json(body));
        var json = await Api.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToString());
        return json.GetProperty("code").GetString()!;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> EnrolAsync(HttpClient client, string code, string agentId)
    {
        using var response = await client.PostAsync(new Uri("api/v1/agent/enrol", UriKind.Relative), JsonContent.Create(new { code, agentId }));
        return (response.StatusCode, await Api.ReadJsonAsync(response));
    }

    private static async Task<HttpStatusCode> HeartbeatAsync(HttpClient client, string token, string agentId, string group)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/agent/heartbeats")
        {
            Content = Api.Json($$"""{"schemaVersion":1,"agentId":"{{agentId}}","agentGroup":"{{group}}","sentAt":"{{DateTimeOffset.UtcNow:O}}","agentVersion":"1.0.0","hostName":"h","startedAt":"{{DateTimeOffset.UtcNow:O}}","role":"active","commandsExecuted":0}"""),
        };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}

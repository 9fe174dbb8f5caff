using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>Orchestrations survive a kill -9 of the local host: state lives in Azurite and Service Bus, not in the process.</summary>
public sealed class DurabilityTests : IAsyncLifetime
{
    private AzuriteProcess _azurite = null!;
    private ServiceBusEmulatorProcess _serviceBus = null!;
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        _serviceBus = await ServiceBusEmulatorProcess.StartAsync(CommandChannelFixture.EmulatorConfig);
        _host = await LocalHostProcess.StartAsync(_azurite, new Dictionary<string, string> { ["ServiceBusConnection"] = _serviceBus.ConnectionString });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _serviceBus.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task Registration_HostKilledWhileWaitingForVerification_CompletesAfterRestartWithTheAgentsAnswer()
    {
        var deadline = TimeSpan.FromSeconds(60);
        string operationId;
        string credential;
        var resourceId = "kvm-" + Guid.NewGuid().ToString("N")[..8];
        using (var client = _host.CreateClient())
        {
            await Api.CreateZoneAsync(client, "dc-1");
            using var admin = _host.CreateClient(LocalHostProcess.MasterKey);
            using var issued = await admin.PostAsync(new Uri("api/v1/agents/credentials", UriKind.Relative), Api.Json("""{"agentId":"agent-dc1","agentGroup":"dc-1"}"""));
            Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
            credential = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

            // No agent yet: the registration waits for the verification until the host is killed.
            using var response = await client.PostAsync(new Uri("api/v1/resources", UriKind.Relative), Api.Json($$"""
                {"name":"{{resourceId}}","zone":"dc-1","kind":"virtualizationHost","endpoint":"test:///default","serviceCategories":["migration"],"verificationTimeoutSeconds":600}
                """));
            operationId = (await Api.ReadJsonAsync(response)).GetProperty("operationId").GetString()!;
            await Api.WaitForOperationAsync(client, operationId, o => Api.IsAtStep(o, "verifying"), deadline, "the verification step");
        }

        var firstPid = _host.ProcessId;
        await _host.KillAsync();
        await _host.StartAgainAsync();
        Assert.NotEqual(firstPid, _host.ProcessId);

        await using var agent = await RelayAgentProcess.StartAsync(new RelayAgentSettings(
            "agent-dc1", "dc-1", CommandChannelFixture.TenantId, _serviceBus.ConnectionStringFor(CommandChannelFixture.AgentKeyName, CommandChannelFixture.AgentKey, CommandChannelFixture.QueueName),
            CommandChannelFixture.QueueName, _host.BaseAddress, credential, Environment: new Dictionary<string, string> { ["RelayAgent__Libvirt__Uris__0"] = "test:///default" }));

        using var after = _host.CreateClient();
        var operation = await Api.WaitForOperationAsync(after, operationId, o => Api.HasStatus(o, "succeeded"), deadline, "the registration to finish after restart");
        Assert.Equal("registered", operation.GetProperty("result").GetProperty("state").GetString());
        var resource = await Api.GetResourceAsync(after, resourceId);
        Assert.Equal("registered", resource.GetProperty("state").GetString());
        Assert.Equal("true", resource.GetProperty("capabilities").GetProperty("libvirt.saveRestore").GetString());
        Assert.Single(agent.ExecutedCommandIds());
    }
}

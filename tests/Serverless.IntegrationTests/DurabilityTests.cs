using Serverless.Contracts;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>Orchestrations survive a kill -9 of the local host: state lives in Azurite, not in the process.</summary>
public sealed class DurabilityTests : IAsyncLifetime
{
    private AzuriteProcess _azurite = null!;
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        _host = await LocalHostProcess.StartAsync(_azurite, new Dictionary<string, string> { ["Registration__VerificationTimeoutSeconds"] = "600" });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task Registration_HostKilledWhileWaitingForEvent_CompletesAfterRestartWithTheRightOutput()
    {
        var deadline = TimeSpan.FromSeconds(60);
        string operationId;
        var resourceId = "kvm-" + Guid.NewGuid().ToString("N")[..8];
        using (var client = _host.CreateClient())
        {
            await Api.CreateZoneAsync(client, "dc-1");
            operationId = await Api.RegisterHostAsync(client, "dc-1", resourceId);
            await Api.WaitForOperationAsync(client, operationId, o => Api.IsAtStep(o, "verifying"), deadline, "the verification step");
        }

        var firstPid = _host.ProcessId;
        await _host.KillAsync();
        await _host.StartAgainAsync();
        Assert.NotEqual(firstPid, _host.ProcessId);

        var instanceId = $"default.{operationId}";
        await TaskHubEvents.RaiseVerificationAsync(_azurite.ConnectionString, _host.HubName, instanceId, new CapabilityVerificationResult(
            SchemaVersions.Current,
            $"{instanceId}-verify",
            Reachable: true,
            new Dictionary<string, string> { ["hypervisor"] = "Test", ["hypervisorVersion"] = "2.0.0" },
            []));

        using var after = _host.CreateClient();
        var operation = await Api.WaitForOperationAsync(after, operationId, o => Api.HasStatus(o, "succeeded"), deadline, "the registration to finish after restart");
        Assert.Equal("registered", operation.GetProperty("result").GetProperty("state").GetString());
        var resource = await Api.GetResourceAsync(after, resourceId);
        Assert.Equal("registered", resource.GetProperty("state").GetString());
        Assert.Equal("2.0.0", resource.GetProperty("capabilities").GetProperty("hypervisorVersion").GetString());
    }
}

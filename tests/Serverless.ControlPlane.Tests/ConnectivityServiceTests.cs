using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Agents;
using Serverless.ControlPlane.Agents;

namespace Serverless.ControlPlane.Tests;

public sealed class ConnectivityServiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly ConnectivityOptions Limits = new() { DisconnectedAfterSeconds = 180, ExpiredAfterHours = 24 };
    private readonly InMemoryAgentStores _stores = new();
    private readonly ManualClock _clock = new(T0);
    private readonly ConnectivityService _service;
    private readonly AgentTelemetryService _telemetry;

    public ConnectivityServiceTests()
    {
        _service = new ConnectivityService(_stores, _stores, Options.Create(Limits), _clock);
        _telemetry = new AgentTelemetryService(_stores, _service, _clock);
    }

    [Theory]
    [InlineData(0, AgentGroupStatus.Connected)]
    [InlineData(179, AgentGroupStatus.Connected)]
    [InlineData(180, AgentGroupStatus.Disconnected)]
    [InlineData(86_399, AgentGroupStatus.Disconnected)]
    [InlineData(86_400, AgentGroupStatus.Expired)]
    public void StatusOf_Silence_MapsToTheStatus(int silentSeconds, AgentGroupStatus expected) =>
        Assert.Equal(expected, ConnectivityService.StatusOf(T0, T0.AddSeconds(silentSeconds), Limits));

    [Fact]
    public async Task Silence_Disconnects_AHeartbeatReconnectsAtOnce_AndTheLatestAgentCounts()
    {
        await HeartbeatAsync("a1");
        _clock.Now = T0.AddSeconds(100);
        await HeartbeatAsync("a2");
        Assert.Equal(AgentGroupStatus.Connected, (await _stores.GetAsync("contoso", "dc-1", CancellationToken.None))!.Status);

        _clock.Now = T0.AddSeconds(250);
        Assert.Empty(await _service.EvaluateAsync(CancellationToken.None));
        _clock.Now = T0.AddSeconds(281);
        var change = Assert.Single(await _service.EvaluateAsync(CancellationToken.None));
        Assert.Equal((AgentGroupStatus.Disconnected, T0.AddSeconds(100)), (change.Status, change.LastHeardAt));
        Assert.Contains("disconnected: none has been heard from since", await _service.RefusalAsync("contoso", "dc-1", CancellationToken.None), StringComparison.Ordinal);
        Assert.Empty(await _service.EvaluateAsync(CancellationToken.None));

        await HeartbeatAsync("a1");
        Assert.Equal(AgentGroupStatus.Connected, (await _stores.GetAsync("contoso", "dc-1", CancellationToken.None))!.Status);
        Assert.Null(await _service.RefusalAsync("contoso", "dc-1", CancellationToken.None));

        _clock.Now = T0.AddHours(25);
        Assert.Equal(AgentGroupStatus.Expired, Assert.Single(await _service.EvaluateAsync(CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Removed_StaysRemovedThroughEvaluations_RefusesCommands_UntilAnAgentIsHeardAfterwards()
    {
        await HeartbeatAsync("a1");
        _clock.Now = T0.AddSeconds(10);
        await _service.MarkRemovedAsync("contoso", "dc-1", CancellationToken.None);

        foreach (var seconds in new[] { 20, 400, 90_000 })
        {
            _clock.Now = T0.AddSeconds(seconds);
            Assert.Empty(await _service.EvaluateAsync(CancellationToken.None));
        }

        Assert.Contains("were removed at", await _service.RefusalAsync("contoso", "dc-1", CancellationToken.None), StringComparison.Ordinal);
        await HeartbeatAsync("a-new");
        Assert.Equal(AgentGroupStatus.Connected, (await _stores.GetAsync("contoso", "dc-1", CancellationToken.None))!.Status);
        Assert.Null(await _service.RefusalAsync("contoso", "dc-1", CancellationToken.None));
    }

    [Fact]
    public async Task Refusal_GroupNeverHeardFrom_IsNone() =>
        Assert.Null(await _service.RefusalAsync("contoso", "new-site", CancellationToken.None));

    private async Task HeartbeatAsync(string agentId)
    {
        var outcome = await _telemetry.RecordHeartbeatAsync(
            new AgentIdentity("contoso", agentId, "dc-1", "c-" + agentId),
            new AgentHeartbeat(SchemaVersions.Current, agentId, "dc-1", _clock.Now, "1.0.0", "host", T0, AgentRole.Active, 0, null),
            CancellationToken.None);
        Assert.True(outcome.Succeeded);
    }
}

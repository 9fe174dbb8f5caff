using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Agents;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Pools;

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
        _telemetry = new AgentTelemetryService(_stores, _service, new PoolWindowRings(new InMemoryPoolStore(), _clock), _clock);
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

        Assert.Empty(await WatchUntilAsync(250));
        _clock.Now = T0.AddSeconds(281);
        var change = Assert.Single(await _service.EvaluateAsync(CancellationToken.None));
        Assert.Equal((AgentGroupStatus.Disconnected, T0.AddSeconds(100)), (change.Status, change.LastHeardAt));
        Assert.Contains("disconnected: none has been heard from since", await _service.RefusalAsync("contoso", "dc-1", CancellationToken.None), StringComparison.Ordinal);
        Assert.Empty(await _service.EvaluateAsync(CancellationToken.None));

        await HeartbeatAsync("a1");
        Assert.Equal(AgentGroupStatus.Connected, (await _stores.GetAsync("contoso", "dc-1", CancellationToken.None))!.Status);
        Assert.Null(await _service.RefusalAsync("contoso", "dc-1", CancellationToken.None));

        Assert.Equal([AgentGroupStatus.Disconnected, AgentGroupStatus.Expired], (await WatchUntilAsync(25 * 3600)).Select(c => c.Status));
    }

    [Fact]
    public async Task SilenceWhileTheControlPlaneWasDown_DoesNotDisconnect_UntilTheWindowHasPassedSinceItWatchesAgain()
    {
        await HeartbeatAsync("a1");
        Assert.Empty(await WatchUntilAsync(60));

        // Down for ten minutes: nobody evaluated, and heartbeats could not land.
        _clock.Now = T0.AddSeconds(660);
        Assert.Empty(await _service.EvaluateAsync(CancellationToken.None));
        Assert.Equal(T0.AddSeconds(660), _stores.Watch!.WatchingSince);
        Assert.Null(await _service.RefusalAsync("contoso", "dc-1", CancellationToken.None));

        // Watching again: the full window from then, and no heartbeat in it disconnects the group.
        Assert.Empty(await WatchUntilAsync(660 + 150));
        var changes = await WatchUntilAsync(660 + 210);
        Assert.Equal((AgentGroupStatus.Disconnected, T0), (Assert.Single(changes).Status, changes[0].LastHeardAt));
    }

    [Fact]
    public async Task AGroupFoundSilentBeforeTheGap_StaysDisconnected_AndAGapShorterThanHalfTheWindowGivesNoGrace()
    {
        await HeartbeatAsync("a1");
        Assert.Equal(AgentGroupStatus.Disconnected, Assert.Single(await WatchUntilAsync(240)).Status);

        _clock.Now = T0.AddSeconds(900);
        Assert.Empty(await _service.EvaluateAsync(CancellationToken.None));
        Assert.Equal(AgentGroupStatus.Disconnected, (await _stores.GetAsync("contoso", "dc-1", CancellationToken.None))!.Status);

        // 89 s between evaluations is watching without a gap: the grace starts where it started.
        var watching = _stores.Watch!.WatchingSince;
        _clock.Now = T0.AddSeconds(989);
        await _service.EvaluateAsync(CancellationToken.None);
        Assert.Equal(watching, _stores.Watch!.WatchingSince);
    }

    /// <summary>Evaluates every 30 s from the last evaluation (or T0) up to <paramref name="seconds"/>, as the timer would.</summary>
    private async Task<List<AgentGroupConnectivity>> WatchUntilAsync(int seconds)
    {
        var changes = new List<AgentGroupConnectivity>();
        var at = _stores.Watch?.LastEvaluatedAt ?? T0;
        while (at < T0.AddSeconds(seconds))
        {
            at = at.AddSeconds(30) < T0.AddSeconds(seconds) ? at.AddSeconds(30) : T0.AddSeconds(seconds);
            _clock.Now = at;
            changes.AddRange(await _service.EvaluateAsync(CancellationToken.None));
        }

        return changes;
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

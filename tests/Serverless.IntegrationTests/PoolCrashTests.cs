using System.Globalization;
using System.Net;
using Azure.Data.Tables;
using Serverless.Testing;
using Xunit.Abstractions;

namespace Serverless.IntegrationTests;

/// <summary>
/// kill -9 of the local host at every step boundary of a pool tick that acts (before and after each activity; events
/// and timers too, should the tick come to have them): each run creates a pool whose one member is out of service on
/// the simulated load balancer and whose minimum is one, on a host whose evaluator timer never fires by itself, runs
/// the tick on demand (<c>POST /admin/functions/EvaluatePools</c>), and the host kills itself at the boundary; started
/// again (its timer back), the member must end in service on the device and active in the pool, activated by the agent
/// exactly once. The boundaries are read from a crash-free tick's durable history.
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class PoolCrashTests(CrashFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Zone = "pcr-dc";
    private const int Members = 10;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>Once a year: the host ticks only when told to, so the one tick it runs is the test's.</summary>
    private static readonly Dictionary<string, string> OnDemandTicks = new() { ["Pools__Schedule"] = "0 0 0 1 1 *" };

    private readonly List<string> _pools = [];
    private LoadBalancerAppliance? _appliance;
    private RelayAgentProcess? _agent;

    public async Task InitializeAsync() => _appliance = await LoadBalancerAppliance.StartAsync(Members);

    public async Task DisposeAsync()
    {
        await fixture.Host.RestoreDefaultsAsync();

        // The other crash tests' ticks would keep evaluating these pools.
        using var client = fixture.Host.CreateClient();
        foreach (var pool in _pools)
        {
            using var deleted = await client.DeleteAsync(new Uri($"api/v1/pools/{pool}", UriKind.Relative));
        }

        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        if (_appliance is not null)
        {
            await _appliance.DisposeAsync();
        }
    }

    [Fact]
    public async Task KilledBeforeAndAfterEveryStepOfATickThatActs_TheMemberIsActivatedOnce()
    {
        using var client = fixture.Host.CreateClient();
        _agent = await fixture.StartAgentAsync($"agent-{Zone}", Zone, LoadBalancerPools.CredentialSettings);
        var lb = await LoadBalancerPools.RegisterAsync(client, Zone, _appliance!);
        for (var member = 1; member <= Members; member++)
        {
            _appliance!.SetAdminState(member, 2);
        }

        var triggeredAt = await TickAsync(client, lb, member: 1, killPoint: null);
        var tick = await LatestTickAsync(triggeredAt);
        var killPoints = await DurableHistory.KillPointsAsync(fixture.Azurite, fixture.Host.HubName, tick, KillPlaces.Boundaries);
        Assert.True(killPoints.Count(k => k.Value.StartsWith("EvaluatePoolPartition#", StringComparison.Ordinal)) >= 2,
            $"a tick evaluates its partitions; the history of {tick} says {string.Join(", ", killPoints)}");
        await fixture.Host.KillAsync();
        await fixture.Host.StartAgainAsync();

        var chosen = CrashMatrix.Select(killPoints, output);
        Assert.True(chosen.Count < Members, $"the appliance has {Members} members, one for each run");
        foreach (var (killPoint, member) in chosen.Select((k, i) => (k, i + 2)))
        {
            await TickAsync(client, lb, member, killPoint);
        }

        var executed = _agent.ExecutedCommandIds();
        Assert.True(executed.Distinct().Count() == executed.Count, $"commands the agent ran twice: {string.Join(", ", executed.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key))}");
    }

    /// <summary>
    /// On a host that ticks only on demand (killing itself at <paramref name="killPoint"/> if given): creates a pool of
    /// the appliance's <paramref name="member"/>, runs a tick, and once the host is back checks the member's activation.
    /// Without a kill point the host is left as it is, so the tick's history can be read before anything else ticks.
    /// Returns when the tick was asked for.
    /// </summary>
    private async Task<DateTimeOffset> TickAsync(HttpClient client, string lb, int member, KillPoint? killPoint)
    {
        var activations = Count("member.activate");

        // A tick the scheduled host left unfinished would run on here and be counted towards the kill: let it end first.
        await fixture.Host.KillAsync();
        await fixture.Host.StartAgainAsync(OnDemandTicks);
        await NoTickRunningAsync();
        if (killPoint is not null)
        {
            await fixture.StartDoomedHostAsync(killPoint, OnDemandTicks);
        }

        var pool = string.Create(CultureInfo.InvariantCulture, $"pcr-{member}-{Guid.NewGuid().ToString("N")[..6]}");
        using (var created = await client.PostAsync(new Uri("api/v1/pools", UriKind.Relative), Api.Json($$$"""
            {"name":"{{{pool}}}","serviceKind":"loadBalancer","members":[{"id":"m-{{{member}}}","resource":"{{{lb}}}","index":"{{{member}}}"}],
             "policy":{"metric":"connections.active","activateAbove":1000,"activateAfterSeconds":60,"deactivateBelow":-1,"deactivateAfterSeconds":60,
                       "cooldownSeconds":0,"minActive":1,"maxActive":1,"metricsIntervalSeconds":5,"actionTimeoutSeconds":60}}
            """)))
        {
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            _pools.Add(pool);
        }

        var triggeredAt = DateTimeOffset.UtcNow;
        using (var admin = fixture.Host.CreateClient(LocalHostProcess.MasterKey))
        using (var run = await admin.PostAsync(new Uri("admin/functions/EvaluatePools", UriKind.Relative), Api.Json("{}")))
        {
            Assert.True(run.StatusCode == HttpStatusCode.Accepted, await run.Content.ReadAsStringAsync());
        }

        if (killPoint is not null)
        {
            await fixture.RestartAfterKillAsync(killPoint);
        }

        var last = string.Empty;
        try
        {
            await Eventually.GetAsync<string>(async () =>
            {
                using var response = await client.GetAsync(new Uri($"api/v1/pools/{pool}", UriKind.Relative));
                var body = await Api.ReadJsonAsync(response);
                last = body.ToString();
                return body.GetProperty("members").EnumerateArray().Single().GetProperty("state").GetString() == "active" ? last : null;
            }, Deadline, $"member {member} to be active after a crash at {killPoint}");
        }
        catch (TimeoutException timeout)
        {
            using var events = await client.GetAsync(new Uri($"api/v1/pools/{pool}/events", UriKind.Relative));
            throw new TimeoutException($"{timeout.Message} The pool: {last}; its events: {await events.Content.ReadAsStringAsync()}", timeout);
        }

        Assert.Equal(1, _appliance!.Members().Single(m => m.Index == member).AdminState);
        Assert.True(Count("member.activate") == activations + 1, $"{killPoint}: the agent activated {Count("member.activate") - activations} times");
        return triggeredAt;
    }

    private Task NoTickRunningAsync() =>
        Eventually.GetAsync<object>(async () => (await TicksAsync(DateTimeOffset.MinValue)).Any(t => t.Status is "Running" or "Pending") ? null : new object(),
            Deadline, "the pool evaluator's unfinished ticks to end");

    /// <summary>The pool evaluator's orchestrations started since <paramref name="since"/>, as the task hub's instance table holds them.</summary>
    private async Task<List<(string Id, DateTimeOffset Created, string? Status)>> TicksAsync(DateTimeOffset since)
    {
        var table = new TableClient(fixture.Azurite.ConnectionString, $"{fixture.Host.HubName}Instances");
        var ticks = new List<(string Id, DateTimeOffset Created, string? Status)>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey.CompareTo("pool-evaluation-") >= 0 && e.PartitionKey.CompareTo("pool-evaluation.") < 0))
        {
            if (row.GetDateTimeOffset("CreatedTime") is { } created && created >= since)
            {
                ticks.Add((row.PartitionKey, created, row.GetString("RuntimeStatus")));
            }
        }

        return ticks;
    }

    /// <summary>The pool evaluator's newest orchestration started since <paramref name="since"/>, as the task hub's instance table holds it.</summary>
    private async Task<string> LatestTickAsync(DateTimeOffset since)
    {
        var ticks = await TicksAsync(since);
        Assert.True(ticks.Count == 1, $"the host ran one tick, the test's; the task hub has {string.Join(", ", ticks.Select(t => t.Id))}");
        return ticks[0].Id;
    }

    private int Count(string kind) => _agent!.JournalEntries().Count(e => e.Kind == kind);
}

using System.Globalization;
using System.Net;
using System.Text.Json;
using Serverless.Snmp;
using Serverless.Testing;
using Xunit.Abstractions;

namespace Serverless.IntegrationTests;

/// <summary>
/// kill -9 of the local host after every step of a rollout and of its rollback, and of a rollout of two instances with
/// its batch launch workflow (or a sample of them: see <see cref="CrashMatrix"/>), read from the crash-free run's
/// durable history: before and after each activity (journal writes, command sends, the launch workflow's steps), after
/// each answer heard and before each timer created (a command wait's slice). The first stack's last step fails (an
/// instance, an appliance set, a set on a read-only OID; then the rollback); for each point the host is started told to
/// kill itself there (before the durable worker stores that it happened), started again without the fault, and the
/// stack must end as the crash-free run did: rolled back with as many journal steps, the host holding only its
/// pre-existing domain, the device's values as before, and the agent having defined the instance exactly once.
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class StackCrashTests(CrashFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Zone = "stk-crash";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly string _folder = RepositoryPaths.NewScratchFolder("stack-crash");
    private LoadBalancerAppliance? _appliance;
    private RelayAgentProcess? _agent;

    public async Task InitializeAsync() => _appliance = await LoadBalancerAppliance.StartAsync(members: 1);

    public async Task DisposeAsync()
    {
        await fixture.Host.RestoreDefaultsAsync();

        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        if (_appliance is not null)
        {
            await _appliance.DisposeAsync();
        }

        RepositoryPaths.DeleteScratchFolder(_folder);
    }

    [Fact]
    public async Task KilledAfterEveryStepAndAnswer_OfARolloutAndItsRollback_EndsAsTheCrashFreeRunDid()
    {
        using var client = fixture.Host.CreateClient();
        var (host, lb) = await SiteAsync(client, Zone);
        _appliance!.SetAdminState(1, 2);

        var (steps, operation) = await RunAsync(client, "crash-0", host, lb, killPoint: null);
        Assert.True(steps >= 12, $"the crash-free run wrote {steps} journal steps; the template makes at least 12 (three items, each applied and undone)");
        var killPoints = await DurableHistory.KillPointsAsync(fixture.Azurite, fixture.Host.HubName, $"{CommandChannelFixture.TenantId}.{operation}", KillPlaces.Boundaries);
        Assert.True(killPoints.Count(k => k.Value.StartsWith("JournalStackSteps#", StringComparison.Ordinal)) >= 6 && killPoints.Any(k => k.Value == "ReserveInstances#1"),
            $"the rollout journals each item's steps and launches its instance through the launch workflow; the history says {string.Join(", ", killPoints)}");

        var crashed = new List<string>();
        foreach (var killPoint in CrashMatrix.Select(killPoints, output))
        {
            var (written, _) = await RunAsync(client, string.Create(CultureInfo.InvariantCulture, $"crash-{crashed.Count + 1}"), host, lb, killPoint);
            crashed.Add($"{killPoint}:{written}");
        }

        // A crash repeats the step it cut short, and its entry is written once all the same.
        Assert.All(crashed, c => Assert.True(int.Parse(c.Split(':')[1], CultureInfo.InvariantCulture) == steps, $"after a crash at {c}: {string.Join(", ", crashed)}"));
    }

    [Fact]
    public async Task KilledAtEveryStepOfATwoInstanceRollout_AndOfItsBatchLaunch_EachInstanceRunsOnce()
    {
        const string zone = "stk-batch";
        using var client = fixture.Host.CreateClient();
        var uri = TestDriverNode.WriteWithImages(_folder);
        _agent = await fixture.StartAgentAsync($"agent-{zone}", zone, new Dictionary<string, string>(TestDriverNode.ImageSettings)
        {
            ["RelayAgent__Libvirt__Uris__0"] = uri,
        });
        var host = await Api.RegisteredAsync(client, zone, $$"""{"kind":"virtualizationHost","endpoint":"{{uri}}","serviceCategories":["compute"]}""");
        var template = $$"""
            {"template":{"schemaVersion":1,
             "tiers":[{"name":"app","count":2,"zone":"{{zone}}","size":{"vcpus":1,"memoryMiB":128},"image":"{{TestDriverNode.Image}}"}]} }
            """;

        var (operation, status, crashFree) = await RollOutAsync(client, "batch-0", template, null);
        Assert.Equal("succeeded", status);
        var killPoints = await DurableHistory.KillPointsAsync(fixture.Azurite, fixture.Host.HubName, $"{CommandChannelFixture.TenantId}.{operation}", KillPlaces.Boundaries);
        Assert.True(killPoints.Any(k => k.Value == "PrepareStackLaunches#1") && killPoints.Any(k => k.Value == "ReserveInstances#1") && killPoints.Count(k => k.Setting == "KillAfterEvent") == 4,
            $"the rollout prepares both launches, one batch launch reserves them and hears two defines and two starts; the history says {string.Join(", ", killPoints)}");

        var running = crashFree.Select(i => $"{i}:running").ToList();
        var n = 0;
        foreach (var killPoint in CrashMatrix.Select(killPoints, output))
        {
            var (defines, starts) = (Count("instance.define"), Count("instance.start"));
            var (_, ended, instances) = await RollOutAsync(client, string.Create(CultureInfo.InvariantCulture, $"batch-{++n}"), template, killPoint);
            Assert.True(ended == "succeeded" && instances.Count == 2, $"{killPoint}: the stack {ended} holding {string.Join(", ", instances)}");
            Assert.True((Count("instance.define"), Count("instance.start")) == (defines + 2, starts + 2),
                $"{killPoint}: the agent defined {Count("instance.define") - defines} and started {Count("instance.start") - starts} times for two instances");
            running.AddRange(instances.Select(i => $"{i}:running"));
        }

        await HostDomains.WaitForAsync(client, host, [.. running.Order(StringComparer.Ordinal)]);
    }

    [Fact]
    public async Task KilledAtEveryStepOfAContinueRollback_EachStackEndsRolledBack_EachInstanceTerminatedOnce()
    {
        const string zone = "stk-cont";
        using var client = fixture.Host.CreateClient();
        var (host, lb) = await SiteAsync(client, zone);

        // An instance, then a set on a read-only OID that fails; kept, so the rollback is asked for separately.
        var template = $$$"""
            {"template":{"schemaVersion":1,"onFailure":"keep",
             "tiers":[{"name":"db","count":1,"zone":"{{{zone}}}","size":{"vcpus":1,"memoryMiB":128},"image":"{{{TestDriverNode.Image}}}"}],
             "appliances":[{"name":"bad","appliance":"{{{lb}}}","members":["1"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.2.{member}","type":"u","value":"5"}],"dependsOn":["db"]}]} }
            """;

        await FailedRollbacksAsync(client, zone, template, ["cont-0"]);
        var (crashFree, _) = await ContinueRollbackAsync(client, "cont-0", null);
        var killPoints = await DurableHistory.KillPointsAsync(fixture.Azurite, fixture.Host.HubName, $"{CommandChannelFixture.TenantId}.{crashFree}", KillPlaces.Boundaries);
        Assert.True(killPoints.Any(k => k.Value == "PrepareStackTerminates#1") && killPoints.Count(k => k.Setting == "KillAfterEvent") == 1,
            $"a continue-rollback moves the instance's record and hears its terminate; the history says {string.Join(", ", killPoints)}");

        var chosen = CrashMatrix.Select(killPoints, output);
        var stacks = chosen.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"cont-{i + 1}")).ToList();
        await FailedRollbacksAsync(client, zone, template, stacks);
        foreach (var (killPoint, stack) in chosen.Zip(stacks))
        {
            var terminates = Count("instance.terminate");
            var (_, instance) = await ContinueRollbackAsync(client, stack, killPoint);
            Assert.True(Count("instance.terminate") == terminates + 1, $"{killPoint}: the agent terminated {Count("instance.terminate") - terminates} times");
            Assert.Equal("terminated", (await InstanceCalls.GetAsync(client, instance)).GetProperty("state").GetString());
        }

        await HostDomains.WaitForAsync(client, host, ["pre:running"]);
        var executed = _agent!.ExecutedCommandIds();
        Assert.True(executed.Distinct().Count() == executed.Count, $"commands the agent ran twice: {string.Join(", ", executed.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key))}");
    }

    /// <summary>
    /// The zone's agent, a test-driver host holding a running pre-existing domain <c>pre</c>, and the simulated load
    /// balancer, both registered; returns their resource ids.
    /// </summary>
    private async Task<(string Host, string Lb)> SiteAsync(HttpClient client, string zone)
    {
        var uri = TestDriverNode.WriteWithImages(_folder, ("pre", true));
        _agent = await fixture.StartAgentAsync($"agent-{zone}", zone, new Dictionary<string, string>(TestDriverNode.ImageSettings.Concat(LoadBalancerPools.CredentialSettings))
        {
            ["RelayAgent__Libvirt__Uris__0"] = uri,
        });
        var host = await Api.RegisteredAsync(client, zone, $$"""{"kind":"virtualizationHost","endpoint":"{{uri}}","serviceCategories":["compute"]}""");
        return (host, await LoadBalancerPools.RegisterAsync(client, zone, _appliance!));
    }

    /// <summary>
    /// Rolls <paramref name="template"/> out as each of <paramref name="stacks"/> (each fails and keeps its instance),
    /// then, with the zone's agent stopped and the zone disconnected so every undo fails at once, rolls each back to
    /// <c>rollbackFailed</c>; then starts the agent again.
    /// </summary>
    private async Task FailedRollbacksAsync(HttpClient client, string zone, string template, IReadOnlyList<string> stacks)
    {
        foreach (var stack in stacks)
        {
            var (_, status, _) = await RollOutAsync(client, stack, template, null);
            Assert.Equal("failed", status);
        }

        var settings = _agent!.Settings;
        await _agent.StopAsync(TimeSpan.FromSeconds(10));
        await _agent.DisposeAsync();
        _agent = null;
        await ZoneStatusAsync(client, zone, "disconnected");
        foreach (var stack in stacks)
        {
            using var rollback = await client.PostAsync(new Uri($"api/v1/stacks/{stack}/rollback", UriKind.Relative), null);
            Assert.True(rollback.StatusCode == HttpStatusCode.Accepted, await rollback.Content.ReadAsStringAsync());
        }

        foreach (var stack in stacks)
        {
            Assert.Equal("rollbackFailed", (await EndedAsync(client, stack)).GetProperty("status").GetString());
        }

        _agent = await RelayAgentProcess.StartAsync(settings);
        await ZoneStatusAsync(client, zone, "connected");
    }

    /// <summary>Continues the failed rollback of <paramref name="stack"/>, killing the host at <paramref name="killPoint"/>; it must end rolled back.</summary>
    private async Task<(string Operation, string Instance)> ContinueRollbackAsync(HttpClient client, string stack, KillPoint? killPoint)
    {
        var instance = (await StackAsync(client, stack)).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "instance").GetProperty("instance").GetString()!;
        await StartHostWithAsync(killPoint);
        string operation;
        using (var continued = await client.PostAsync(new Uri($"api/v1/stacks/{stack}/continue-rollback", UriKind.Relative), null))
        {
            Assert.True(continued.StatusCode == HttpStatusCode.Accepted, await continued.Content.ReadAsStringAsync());
            operation = (await Api.ReadJsonAsync(continued)).GetProperty("operationId").GetString()!;
        }

        await RecoverHostAsync(killPoint);
        var ended = await EndedAsync(client, stack);
        Assert.True(ended.GetProperty("status").GetString() == "rolledBack", $"continue-rollback with a crash at {killPoint}: {ended}");
        return (operation, instance);
    }

    private Task StartHostWithAsync(KillPoint? killPoint) => killPoint is null ? Task.CompletedTask : fixture.StartDoomedHostAsync(killPoint);

    private Task RecoverHostAsync(KillPoint? killPoint) => killPoint is null ? Task.CompletedTask : fixture.RestartAfterKillAsync(killPoint);

    private static async Task<JsonElement> StackAsync(HttpClient client, string stack)
    {
        using var response = await client.GetAsync(new Uri($"api/v1/stacks/{stack}", UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Api.ReadJsonAsync(response);
    }

    /// <summary>The stack once its run has ended, whichever way.</summary>
    private static async Task<JsonElement> EndedAsync(HttpClient client, string stack) =>
        (await Eventually.GetAsync<JsonElement?>(async () =>
        {
            var body = await StackAsync(client, stack);
            return body.GetProperty("status").GetString() is "rolledBack" or "rollbackFailed" or "succeeded" or "failed" ? body : null;
        }, Deadline, $"stack {stack} to end"))!.Value;

    private static Task ZoneStatusAsync(HttpClient client, string zone, string status) =>
        Eventually.GetAsync<object>(async () =>
        {
            using var response = await client.GetAsync(new Uri($"api/v1/zones/{zone}/agents", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK && (await Api.ReadJsonAsync(response)).GetProperty("status").GetString() == status ? new object() : null;
        }, TimeSpan.FromSeconds(60), $"zone {zone} to be {status}");

    /// <summary>
    /// Plans and applies <paramref name="template"/> as stack <paramref name="name"/>, the host killing itself at
    /// <paramref name="killPoint"/> if one is given. Returns its run's operation, how it ended and its instances.
    /// </summary>
    private async Task<(string Operation, string Status, IReadOnlyList<string> Instances)> RollOutAsync(HttpClient client, string name, string template, KillPoint? killPoint)
    {
        string operation;
        using (var plan = await client.PostAsync(new Uri($"api/v1/stacks/{name}/plans", UriKind.Relative), Api.Json(template)))
        {
            Assert.True(plan.StatusCode == HttpStatusCode.Created, await plan.Content.ReadAsStringAsync());
            var planId = (await Api.ReadJsonAsync(plan)).GetProperty("planId").GetString();
            await StartHostWithAsync(killPoint);
            using var applied = await client.PostAsync(new Uri($"api/v1/stacks/{name}/plans/{planId}/apply", UriKind.Relative), null);
            Assert.True(applied.StatusCode == HttpStatusCode.Accepted, await applied.Content.ReadAsStringAsync());
            operation = (await Api.ReadJsonAsync(applied)).GetProperty("operationId").GetString()!;
        }

        await RecoverHostAsync(killPoint);
        var stack = await EndedAsync(client, name);
        return (operation, stack.GetProperty("status").GetString()!,
            [.. stack.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("kind").GetString() == "instance").Select(i => i.GetProperty("instance").GetString()!)]);
    }

    /// <summary>
    /// Plans and applies the failing template as stack <paramref name="name"/>, with the host killing itself at the
    /// given point, and checks the end; returns how many journal entries with an item the run wrote, and its operation.
    /// </summary>
    private async Task<(int Steps, string Operation)> RunAsync(HttpClient client, string name, string host, string lb, KillPoint? killPoint)
    {
        var defined = DefineCount();
        var (operation, status, _) = await RollOutAsync(client, name, Template(lb), killPoint);
        Assert.True(status == "rolledBack", $"crash at {killPoint}: the stack ended {status}");

        await Eventually.GetAsync<object>(async () =>
        {
            using var response = await client.GetAsync(new Uri($"api/v1/resources/{host}/instances", UriKind.Relative));
            var names = (await Api.ReadJsonAsync(response)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()).ToList();
            return names.SequenceEqual(["pre"]) ? new object() : null;
        }, TimeSpan.FromSeconds(30), $"the host to hold only 'pre' after a crash at {killPoint}");
        Assert.Equal(1, DefineCount() - defined);
        Assert.Equal(2, await AdminStateAsync());

        using var events = await client.GetAsync(new Uri($"api/v1/stacks/{name}/events?pageSize=200", UriKind.Relative));
        return ((await Api.ReadJsonAsync(events)).GetProperty("items").EnumerateArray().Count(e => e.TryGetProperty("item", out var item) && item.ValueKind == JsonValueKind.String), operation);
    }

    private int DefineCount() => Count("instance.define");

    private int Count(string kind) => _agent!.JournalEntries().Count(e => e.Kind == kind);

    private async Task<int> AdminStateAsync()
    {
        await using var snmp = new SnmpClient();
        var target = new CommunityTarget(_appliance!.Snmpd.EndPoint, SnmpdProcess.ReadCommunity);
        return (await snmp.GetAsync(target, [Oid.Parse($"{LoadBalancerAppliance.BaseOid}.1.1")])).Single().Value.AsInt32();
    }

    private static string Template(string lb) => $$$"""
        {"template":{"schemaVersion":1,
         "tiers":[{"name":"db","count":1,"zone":"{{{Zone}}}","size":{"vcpus":1,"memoryMiB":256},"image":"{{{TestDriverNode.Image}}}"}],
         "appliances":[
           {"name":"lb","appliance":"{{{lb}}}","members":["1"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.1.{member}","type":"i","value":"1"}],"dependsOn":["db"]},
           {"name":"bad","appliance":"{{{lb}}}","members":["1"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.2.{member}","type":"u","value":"5"}],"dependsOn":["lb"]}]} }
        """;
}

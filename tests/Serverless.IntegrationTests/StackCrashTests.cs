using System.Globalization;
using System.Net;
using System.Text.Json;
using Serverless.Snmp;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// kill -9 of the local host at every journal step of a rollout and of its rollback. A crash-free run of a stack whose
/// last step fails (an instance, an appliance set, a set on a read-only OID; then the rollback) counts its journal
/// steps; then, for each step n, the host is started told to kill itself right after the n-th journal write (before the
/// durable worker stores that it happened), started again without the fault, and the stack must end as the crash-free
/// run did: rolled back, the host holding only its pre-existing domain, the device's values as before, and the agent
/// having defined the instance exactly once.
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class StackCrashTests(CrashFixture fixture) : IAsyncLifetime
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
    public async Task KilledAtEveryJournalStep_OfARolloutAndItsRollback_EndsAsTheCrashFreeRunDid()
    {
        using var client = fixture.Host.CreateClient();
        var uri = TestDriverNode.WriteWithImages(_folder, ("pre", true));
        _agent = await fixture.StartAgentAsync($"agent-{Zone}", Zone, new Dictionary<string, string>(TestDriverNode.ImageSettings)
        {
            ["RelayAgent__Libvirt__Uris__0"] = uri,
            ["RelayAgent__Snmp__Credentials__lb__Version"] = "2c",
            ["RelayAgent__Snmp__Credentials__lb__Community"] = SnmpdProcess.WriteCommunity,

            // Heard every second, so the host's own downtime in each crash (two restarts) never reads as a silent zone.
            ["RelayAgent__HeartbeatIntervalSeconds"] = "1",
        });
        var host = await Api.RegisteredAsync(client, Zone, $$"""{"kind":"virtualizationHost","endpoint":"{{uri}}","serviceCategories":["compute"]}""");
        var lb = await Api.RegisteredAsync(client, Zone, $$"""{"kind":"snmpAppliance","endpoint":"127.0.0.1:{{_appliance!.Snmpd.EndPoint.Port}}","deviceProfile":"simulated-load-balancer","credential":"lb"}""");
        _appliance.SetAdminState(1, 2);

        var steps = await RunAsync(client, "crash-0", host, lb, killAfterJournalStep: null);
        Assert.True(steps >= 12, $"the crash-free run wrote {steps} journal steps; the template makes at least 12 (three items, each applied and undone)");

        var crashed = new List<string>();
        for (var n = 1; n <= steps; n++)
        {
            var written = await RunAsync(client, string.Create(CultureInfo.InvariantCulture, $"crash-{n}"), host, lb, killAfterJournalStep: n);
            crashed.Add(string.Create(CultureInfo.InvariantCulture, $"{n}:{written}"));
        }

        // A crash repeats the step it cut short, so a run may write its entries again, never fewer.
        Assert.All(crashed, c => Assert.True(int.Parse(c.Split(':')[1], CultureInfo.InvariantCulture) == steps, $"after a crash at step {c}: {string.Join(", ", crashed)}"));
    }

    /// <summary>
    /// Plans and applies the failing template as stack <paramref name="name"/>, with the host killing itself after the
    /// given journal step, and checks the end; returns how many journal entries with an item the run wrote.
    /// </summary>
    private async Task<int> RunAsync(HttpClient client, string name, string host, string lb, int? killAfterJournalStep)
    {
        var defined = DefineCount();
        using (var plan = await client.PostAsync(new Uri($"api/v1/stacks/{name}/plans", UriKind.Relative), Api.Json(Template(lb))))
        {
            Assert.True(plan.StatusCode == HttpStatusCode.Created, await plan.Content.ReadAsStringAsync());
            var planId = (await Api.ReadJsonAsync(plan)).GetProperty("planId").GetString();
            if (killAfterJournalStep is { } n)
            {
                await fixture.Host.KillAsync();
                // The activity the doomed host dies in comes back 2 s after, not after the fixture's 10 s.
                await fixture.Host.StartAgainAsync(new Dictionary<string, string>
                {
                    ["LocalHost__FaultInjection__KillAfterActivity"] = $"JournalStackSteps#{n}",
                    ["LocalHost__ActivityVisibilityTimeout"] = "00:00:02",
                });
            }

            using var applied = await client.PostAsync(new Uri($"api/v1/stacks/{name}/plans/{planId}/apply", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.Accepted, applied.StatusCode);
        }

        if (killAfterJournalStep is not null)
        {
            Assert.True(await fixture.Host.WaitForExitAsync(Deadline), $"the host did not kill itself at journal step {killAfterJournalStep}; its last lines:\n{fixture.Host.OutputTail()}");
            await fixture.Host.StartAgainAsync();
        }

        var stack = await Eventually.GetAsync<JsonElement?>(async () =>
        {
            using var response = await client.GetAsync(new Uri($"api/v1/stacks/{name}", UriKind.Relative));
            var body = await Api.ReadJsonAsync(response);
            return body.GetProperty("status").GetString() is "rolledBack" or "rollbackFailed" or "succeeded" or "failed" ? body : null;
        }, Deadline, $"stack {name} to end");
        Assert.True(stack!.Value.GetProperty("status").GetString() == "rolledBack", $"crash at {killAfterJournalStep}: {stack}");

        await Eventually.GetAsync<object>(async () =>
        {
            using var response = await client.GetAsync(new Uri($"api/v1/resources/{host}/instances", UriKind.Relative));
            var names = (await Api.ReadJsonAsync(response)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()).ToList();
            return names.SequenceEqual(["pre"]) ? new object() : null;
        }, TimeSpan.FromSeconds(30), $"the host to hold only 'pre' after a crash at {killAfterJournalStep}");
        Assert.Equal(1, DefineCount() - defined);
        Assert.Equal(2, await AdminStateAsync());

        using var events = await client.GetAsync(new Uri($"api/v1/stacks/{name}/events?pageSize=200", UriKind.Relative));
        return (await Api.ReadJsonAsync(events)).GetProperty("items").EnumerateArray().Count(e => e.TryGetProperty("item", out var item) && item.ValueKind == JsonValueKind.String);
    }

    private int DefineCount() => _agent!.JournalEntries().Count(e => e.Kind == "instance.define");

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

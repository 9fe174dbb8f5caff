using System.Net;
using System.Text.Json;
using Serverless.Snmp;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// Stacks end to end: the local host, the Service Bus emulator and real agents — one for a provider zone with its
/// libvirt test-driver host, one for a client zone with its own host and the snmpd load balancer. A three-tier template
/// with an appliance step and a pool membership rolls out; an update launches only the differences and retires what it
/// replaced; a failing last step rolls back exactly what the run made; a
/// rollback whose zone's agent is gone ends rollbackFailed, and continue-rollback finishes it (or keeps an item). Every
/// result is checked on the hosts (their own report through their agents) and on the device (SNMP reads), not only
/// in our records.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class StackWorkflowTests(CommandChannelFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly string _folder = RepositoryPaths.NewScratchFolder("stacks");
    private readonly List<RelayAgentProcess> _agents = [];
    private LoadBalancerAppliance? _appliance;

    public async Task InitializeAsync() => _appliance = await LoadBalancerAppliance.StartAsync(members: 2);

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        if (_appliance is not null)
        {
            await _appliance.DisposeAsync();
        }

        RepositoryPaths.DeleteScratchFolder(_folder);
    }

    [Fact]
    public async Task ThreeTierStack_RollsOutAcrossBothZones_PlansNoOpsAfterwards_AndDeleteUndoesIt()
    {
        using var client = fixture.Host.CreateClient();
        var site = await SiteAsync(client, "stk-a");
        SetAdminStates(2, 2);

        var plan = await PlanAsync(client, "shop", Template(site, bad: false));
        Assert.Equal((6, 0, 0, 0, 0), Summary(plan, "create", "update", "replace", "delete", "noOp"));
        Assert.Equal(HttpStatusCode.Accepted, (await ApplyAsync(client, "shop", plan)).StatusCode);
        var stack = await WaitForStackAsync(client, "shop", "succeeded");

        Assert.All(stack.GetProperty("items").EnumerateArray(), i => Assert.Equal("applied", i.GetProperty("state").GetString()));
        await HostDomains.WaitForAsync(client, site.ClientHost, ["pre:running", "shop-db-1:running", "shop-web-1:running"]);
        await HostDomains.WaitForAsync(client, site.ProviderHost, ["shop-app-1:running", "shop-app-2:running"]);
        Assert.Equal(new[] { 1, 1 }, await AdminStatesAsync());
        Assert.Equal(["pre-1", "shop-app-1", "shop-app-2"], await PoolMembersAsync(client, site.Pool));
        Assert.Equal(["shop-app-1", "shop-app-2"], stack.GetProperty("outputs").GetProperty("apps").EnumerateArray().Select(e => e.GetString()));

        // The applied template plans only no-ops, and a plan made before that rollout is refused as stale.
        // The same template written as YAML: the same template to the planner, so nothing to do.
        using var yaml = await client.PostAsync(new Uri("api/v1/stacks/shop/plans", UriKind.Relative),
            new StringContent(YamlTemplate(site), System.Text.Encoding.UTF8, "application/yaml"));
        Assert.True(yaml.StatusCode == HttpStatusCode.Created, await yaml.Content.ReadAsStringAsync());
        var again = await Api.ReadJsonAsync(yaml);
        Assert.All(again.GetProperty("actions").EnumerateArray(), a => Assert.Equal("noOp", a.GetProperty("action").GetString()));
        using (var stale = await ApplyAsync(client, "shop", plan))
        {
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            Assert.Equal("The stack changed since the plan.", (await Api.ReadJsonAsync(stale)).GetProperty("title").GetString());
        }

        // The stack's items keep the appliance and the hosts from being unregistered.
        using (var unregister = await client.DeleteAsync(new Uri($"api/v1/resources/{site.Appliance}?force=true", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Conflict, unregister.StatusCode);
            Assert.Contains("shop", (await Api.ReadJsonAsync(unregister)).GetProperty("blockingItems").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        }

        using (var deleted = await client.DeleteAsync(new Uri("api/v1/stacks/shop", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        await WaitForStackAsync(client, "shop", "deleted");
        await HostDomains.WaitForAsync(client, site.ClientHost, ["pre:running"]);
        await HostDomains.WaitForAsync(client, site.ProviderHost, []);
        Assert.Equal(new[] { 2, 2 }, await AdminStatesAsync());
        Assert.Equal(["pre-1"], await PoolMembersAsync(client, site.Pool));
    }

    [Fact]
    public async Task Update_PlansOnlyTheDifferences_LaunchesTheNewAndReplacements_RetiresTheReplacedAfterwards()
    {
        using var client = fixture.Host.CreateClient();
        var site = await SiteAsync(client, "stk-d");
        SetAdminStates(2, 2);
        var first = await PlanAsync(client, "upd", Template(site, bad: false, stack: "upd"));
        using (var applied = await ApplyAsync(client, "upd", first))
        {
            Assert.Equal(HttpStatusCode.Accepted, applied.StatusCode);
        }

        await WaitForStackAsync(client, "upd", "succeeded");

        // Three apps instead of two; the web tier with more memory, so its instance is replaced.
        var changed = Template(site, bad: false, stack: "upd")
            .Replace("""
                "memoryMiB":256},"image":"${image}","dependsOn":["app"]
                """, """
                "memoryMiB":512},"image":"${image}","dependsOn":["app"]
                """, StringComparison.Ordinal);
        var plan = await PlanAsync(client, "upd", changed, """{"apps":3}""");
        var actions = plan.GetProperty("actions").EnumerateArray().ToDictionary(a => a.GetProperty("item").GetString()!, a => a.GetProperty("action").GetString());
        Assert.Equal(("noOp", "noOp", "noOp", "create", "replace"), (actions["instance:db:1"], actions["instance:app:1"], actions["instance:app:2"], actions["instance:app:3"], actions["instance:web:1"]));
        using (var applied = await ApplyAsync(client, "upd", plan))
        {
            Assert.Equal(HttpStatusCode.Accepted, applied.StatusCode);
        }

        var stack = await WaitForStackAsync(client, "upd", "succeeded");

        var web = stack.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("key").GetString() == "instance:web:1").GetProperty("instance").GetString();
        Assert.Equal("upd-web-1-r2", web);
        await HostDomains.WaitForAsync(client, site.ClientHost, ["pre:running", "upd-db-1:running", "upd-web-1-r2:running"]);
        await HostDomains.WaitForAsync(client, site.ProviderHost, ["upd-app-1:running", "upd-app-2:running", "upd-app-3:running"]);
        Assert.Equal("terminated", (await InstanceCalls.GetAsync(client, "upd-web-1")).GetProperty("state").GetString());
        Assert.Equal(["pre-1", "upd-app-1", "upd-app-2", "upd-app-3"], await PoolMembersAsync(client, site.Pool));
        Assert.Equal(new[] { 1, 1 }, await AdminStatesAsync());
        var events = await EventsAsync(client, "upd");
        Assert.Contains(events, e => e.Item == "instance:web:1" && e.Phase == "retire:done" && e.Outcome == "succeeded");

        // The update is now what is applied: planning it again changes nothing.
        var again = await PlanAsync(client, "upd", changed, """{"apps":3}""");
        Assert.All(again.GetProperty("actions").EnumerateArray(), a => Assert.Equal("noOp", a.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task LastStepFails_RollbackTerminatesExactlyWhatTheRunMade_AndPutsTheDeviceBack()
    {
        using var client = fixture.Host.CreateClient();
        var site = await SiteAsync(client, "stk-b");
        SetAdminStates(2, 1);
        var devicesBefore = await AdminStatesAsync();

        var plan = await PlanAsync(client, "cart", Template(site, bad: true, stack: "cart"));
        using (var applied = await ApplyAsync(client, "cart", plan))
        {
            Assert.Equal(HttpStatusCode.Accepted, applied.StatusCode);
        }

        var stack = await WaitForStackAsync(client, "cart", "rolledBack");

        Assert.Contains("appliance:bad", stack.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await HostDomains.WaitForAsync(client, site.ClientHost, ["pre:running"]);
        await HostDomains.WaitForAsync(client, site.ProviderHost, []);
        Assert.Equal(devicesBefore, await AdminStatesAsync());
        Assert.Equal(["pre-1"], await PoolMembersAsync(client, site.Pool));
        var events = await EventsAsync(client, "cart");
        Assert.Contains(events, e => e.Item == "appliance:lb" && e.Phase == "apply:begin" && e.Message.StartsWith("read before the set:", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Item == "appliance:bad" && e.Phase == "apply:done" && e.Outcome!.Contains("notWritable", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(
            ["appliance:bad", "appliance:lb", "instance:app:1", "instance:app:2", "instance:db:1", "instance:web:1", "membership:apps"],
            events.Where(e => e.Phase == "undo:done" && e.Outcome == "succeeded").Select(e => e.Item!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RollbackWithTheZonesAgentGone_EndsRollbackFailed_ContinueRollbackFinishesIt_OrKeepsASkippedItem()
    {
        using var client = fixture.Host.CreateClient();
        var site = await SiteAsync(client, "stk-c");
        SetAdminStates(2, 2);

        var plan = await PlanAsync(client, "blog", """
            {"schemaVersion":1,"onFailure":"keep",
             "tiers":[{"name":"app","count":2,"zone":"stk-c-cloud","size":{"vcpus":1,"memoryMiB":256},"image":"IMAGE"},
                      {"name":"web","count":1,"zone":"stk-c-dc","size":{"vcpus":1,"memoryMiB":256},"image":"IMAGE","dependsOn":["app"]}],
             "appliances":[{"name":"bad","appliance":"APPLIANCE","members":["1"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.2.{member}","type":"u","value":"5"}],"dependsOn":["web"]}]}
            """.Replace("APPLIANCE", site.Appliance, StringComparison.Ordinal).Replace("IMAGE", TestDriverNode.Image, StringComparison.Ordinal));
        using (var applied = await ApplyAsync(client, "blog", plan))
        {
            Assert.Equal(HttpStatusCode.Accepted, applied.StatusCode);
        }

        await WaitForStackAsync(client, "blog", "failed");
        await HostDomains.WaitForAsync(client, site.ProviderHost, ["blog-app-1:running", "blog-app-2:running"]);

        // The provider zone's agent goes away: undoing its instances times out, the client zone's undo succeeds.
        await site.ProviderAgent.StopAsync(TimeSpan.FromSeconds(10));
        using (var rollback = await client.PostAsync(new Uri("api/v1/stacks/blog/rollback", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Accepted, rollback.StatusCode);
        }

        var failed = await WaitForStackAsync(client, "blog", "rollbackFailed", TimeSpan.FromSeconds(200));
        var states = failed.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("key").GetString()!, i => i.GetProperty("state").GetString());
        Assert.Equal(("undoFailed", "undoFailed", "undone"), (states["instance:app:1"], states["instance:app:2"], states["instance:web:1"]));
        Assert.Contains("instance:app:1", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Agent back: continue-rollback finishes app-1; app-2 is skipped and kept, listed as retained.
        var agent = await RelayAgentProcess.StartAsync(site.ProviderAgent.Settings);
        _agents.Add(agent);
        using (var again = await client.PostAsync(new Uri("api/v1/stacks/blog/continue-rollback", UriKind.Relative), Api.Json("""{"skip":["instance:app:2"]}""")))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }

        var done = await WaitForStackAsync(client, "blog", "rolledBack", TimeSpan.FromSeconds(200));
        var final = done.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("key").GetString()!, i => i.GetProperty("state").GetString());
        Assert.Equal("retained", final["instance:app:2"]);
        Assert.DoesNotContain("instance:app:1", final.Keys);
        Assert.Equal("terminated", (await InstanceCalls.GetAsync(client, "blog-app-1")).GetProperty("state").GetString());

        using var skipAgain = await client.PostAsync(new Uri("api/v1/stacks/blog/continue-rollback", UriKind.Relative), Api.Json("""{"skip":["instance:nope:1"]}"""));
        Assert.Equal(HttpStatusCode.Conflict, skipAgain.StatusCode);
    }

    private sealed record Site(string ClientHost, string ProviderHost, string Appliance, string Pool, RelayAgentProcess ProviderAgent);

    /// <summary>
    /// Two zones, {prefix}-dc (client: a host with a pre-existing domain "pre", the load balancer) and {prefix}-cloud
    /// (provider: a host), each with its agent, and a pool holding "pre".
    /// </summary>
    private async Task<Site> SiteAsync(HttpClient client, string prefix)
    {
        var (dc, cloud) = ($"{prefix}-dc", $"{prefix}-cloud");
        Directory.CreateDirectory(Path.Combine(_folder, dc));
        Directory.CreateDirectory(Path.Combine(_folder, cloud));
        var dcUri = TestDriverNode.WriteWithImages(Path.Combine(_folder, dc), ("pre", true));
        var cloudUri = TestDriverNode.WriteWithImages(Path.Combine(_folder, cloud));
        await Api.CreateZoneAsync(client, dc, "client");
        await Api.CreateZoneAsync(client, cloud, "provider");
        _agents.Add(await fixture.StartAgentAsync($"agent-{dc}", dc, new Dictionary<string, string>(TestDriverNode.ImageSettings)
        {
            ["RelayAgent__Libvirt__Uris__0"] = dcUri,
            ["RelayAgent__Snmp__Credentials__lb__Version"] = "2c",
            ["RelayAgent__Snmp__Credentials__lb__Community"] = SnmpdProcess.WriteCommunity,
        }));
        var providerAgent = await fixture.StartAgentAsync($"agent-{cloud}", cloud, new Dictionary<string, string>(TestDriverNode.ImageSettings) { ["RelayAgent__Libvirt__Uris__0"] = cloudUri });
        _agents.Add(providerAgent);
        var dcHost = await Api.RegisteredAsync(client, dc, $$"""{"kind":"virtualizationHost","endpoint":"{{dcUri}}","serviceCategories":["compute"]}""");
        var cloudHost = await Api.RegisteredAsync(client, cloud, $$"""{"kind":"virtualizationHost","endpoint":"{{cloudUri}}","serviceCategories":["compute"]}""");
        var lb = await Api.RegisteredAsync(client, dc, $$"""{"kind":"snmpAppliance","endpoint":"127.0.0.1:{{_appliance!.Snmpd.EndPoint.Port}}","deviceProfile":"simulated-load-balancer","credential":"lb"}""");
        var pool = $"{prefix}-pool";

        // No metric ever reads below -1, and the stack's members start inactive: the evaluator leaves them alone.
        using var created = await client.PostAsync(new Uri("api/v1/pools", UriKind.Relative), Api.Json($$$"""
            {"name":"{{{pool}}}","serviceKind":"compute","members":[{"id":"pre-1","resource":"{{{dcHost}}}","instance":"pre"}],
             "policy":{"metric":"cpu.load","activateAbove":1000,"activateAfterSeconds":60,"deactivateBelow":-1,"deactivateAfterSeconds":60,"minActive":1,"maxActive":1}}
            """));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return new Site(dcHost, cloudHost, lb, pool, providerAgent);
    }

    private static string Template(Site site, bool bad, string stack = "shop")
    {
        var badStep = bad
            ? $$$""",{"name":"bad","appliance":"{{{site.Appliance}}}","members":["1"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.2.{member}","type":"u","value":"5"}],"dependsOn":["lb"]}"""
            : string.Empty;
        var zone = site.Pool[..^5];
        return $$$"""
            {"schemaVersion":1,
             "parameters":{"image":{"type":"string","default":"{{{TestDriverNode.Image}}}"},"apps":{"type":"integer","default":2}},
             "tiers":[
               {"name":"db","count":1,"zone":"{{{zone}}}-dc","size":{"vcpus":1,"memoryMiB":256},"image":"${image}"},
               {"name":"app","count":"${apps}","zoneSelector":{"kind":"provider","zones":["{{{zone}}}-cloud"]},"size":{"vcpus":1,"memoryMiB":256},"image":"${image}","placement":{"spread":true},"dependsOn":["db"]},
               {"name":"web","count":1,"zone":"{{{zone}}}-dc","size":{"vcpus":1,"memoryMiB":256},"image":"${image}","dependsOn":["app"]}],
             "appliances":[{"name":"lb","appliance":"{{{site.Appliance}}}","members":["1","2"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.1.{member}","type":"i","value":"1"}],"dependsOn":["web"]}{{{badStep}}}],
             "pools":[{"name":"apps","pool":"{{{site.Pool}}}","tier":"app"}],
             "outputs":{"apps":{"tier":"app","attribute":"names"} } }
            """;
    }

    /// <summary><see cref="Template"/> (without the failing step) as a YAML request body, block style.</summary>
    private static string YamlTemplate(Site site)
    {
        var zone = site.Pool[..^5];
        return $$"""
            # the shop, as in Template()
            template:
              schemaVersion: 1
              parameters:
                image: { type: string, default: "{{TestDriverNode.Image}}" }
                apps:
                  type: integer
                  default: 2
              tiers:
                - name: db
                  count: 1
                  zone: {{zone}}-dc
                  size: { vcpus: 1, memoryMiB: 256 }
                  image: ${image}
                - name: app
                  count: ${apps}
                  zoneSelector:
                    kind: provider
                    zones: [{{zone}}-cloud]
                  size: { vcpus: 1, memoryMiB: 256 }
                  image: ${image}
                  placement: { spread: true }
                  dependsOn: [db]
                - name: web
                  count: 1
                  zone: {{zone}}-dc
                  size: { vcpus: 1, memoryMiB: 256 }
                  image: ${image}
                  dependsOn: [app]
              appliances:
                - name: lb
                  appliance: {{site.Appliance}}
                  members: ["1", "2"]
                  set:
                    - oid: "1.3.6.1.4.1.8072.9999.1.1.{member}"
                      type: i
                      value: "1"
                  dependsOn: [web]
              pools:
                - { name: apps, pool: {{site.Pool}}, tier: app }
              outputs:
                apps: { tier: app, attribute: names }
            """;
    }

    private static async Task<JsonElement> PlanAsync(HttpClient client, string stack, string template, string parameters = "{}")
    {
        using var response = await client.PostAsync(new Uri($"api/v1/stacks/{stack}/plans", UriKind.Relative), Api.Json($$"""{"template":{{template}},"parameters":{{parameters}}}"""));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await Api.ReadJsonAsync(response);
    }

    private static Task<HttpResponseMessage> ApplyAsync(HttpClient client, string stack, JsonElement plan) =>
        client.PostAsync(new Uri($"api/v1/stacks/{stack}/plans/{plan.GetProperty("planId").GetString()}/apply", UriKind.Relative), null);

    private static int Count(JsonElement plan, string action) => plan.GetProperty("summary").GetProperty(action).GetInt32();

    private static (int, int, int, int, int) Summary(JsonElement plan, params string[] actions) =>
        (Count(plan, actions[0]), Count(plan, actions[1]), Count(plan, actions[2]), Count(plan, actions[3]), Count(plan, actions[4]));

    private static async Task<JsonElement> WaitForStackAsync(HttpClient client, string stack, string status, TimeSpan? timeout = null)
    {
        JsonElement? last = null;
        try
        {
            return (await Eventually.GetAsync<JsonElement?>(async () =>
            {
                using var response = await client.GetAsync(new Uri($"api/v1/stacks/{stack}", UriKind.Relative));
                last = await Api.ReadJsonAsync(response);
                return last.Value.GetProperty("status").GetString() == status ? last : null;
            }, timeout ?? Deadline, $"stack {stack} {status}"))!.Value;
        }
        catch (TimeoutException) when (last is not null)
        {
            throw new TimeoutException($"stack {stack} never became {status}: {last}");
        }
    }

    private static async Task<List<string>> PoolMembersAsync(HttpClient client, string pool)
    {
        using var response = await client.GetAsync(new Uri($"api/v1/pools/{pool}", UriKind.Relative));
        return [.. (await Api.ReadJsonAsync(response)).GetProperty("members").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];
    }

    private static async Task<List<(string? Item, string Phase, string Message, string? Outcome)>> EventsAsync(HttpClient client, string stack)
    {
        using var response = await client.GetAsync(new Uri($"api/v1/stacks/{stack}/events?pageSize=200", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await Api.ReadJsonAsync(response)).GetProperty("items").EnumerateArray().Select(e => (
            e.TryGetProperty("item", out var item) ? item.GetString() : null,
            e.GetProperty("phase").GetString()!,
            e.GetProperty("message").GetString()!,
            e.TryGetProperty("outcome", out var outcome) ? outcome.GetString() : null))];
    }

    private void SetAdminStates(int first, int second)
    {
        _appliance!.SetAdminState(1, first);
        _appliance.SetAdminState(2, second);
    }

    /// <summary>The members' admin states as the device answers an SNMP GET.</summary>
    private async Task<int[]> AdminStatesAsync()
    {
        await using var snmp = new SnmpClient();
        var target = new CommunityTarget(_appliance!.Snmpd.EndPoint, SnmpdProcess.ReadCommunity);
        return [.. (await snmp.GetAsync(target, [Oid.Parse($"{LoadBalancerAppliance.BaseOid}.1.1"), Oid.Parse($"{LoadBalancerAppliance.BaseOid}.1.2")])).Select(b => b.Value.AsInt32())];
    }
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// Instances end to end: the local host, the Service Bus emulator and two real agents, one for a provider zone and one for
/// a client zone, each with its own libvirt test-driver host holding a storage pool with the image's base volume. The
/// same launch body goes to each zone; the instance is stopped, started, restarted, suspended, resumed and terminated
/// through the API, and each step is checked against the host's own report.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class InstanceWorkflowTests(CommandChannelFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _folder = RepositoryPaths.NewScratchFolder("instances");
    private readonly List<RelayAgentProcess> _agents = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        RepositoryPaths.DeleteScratchFolder(_folder);
    }

    [Fact]
    public async Task SameLaunchBody_InAProviderAndAClientZone_RunsThroughEveryActionToTermination()
    {
        using var client = fixture.Host.CreateClient();
        var hosts = new Dictionary<string, string>();
        foreach (var (zone, kind) in new[] { ("inst-cloud", "provider"), ("inst-site", "client") })
        {
            hosts[zone] = await HostAsync(client, zone, kind);
        }

        foreach (var zone in hosts.Keys)
        {
            var name = $"web-{zone[5..]}";
            var launched = await LaunchAsync(client, name, zone);
            Assert.Equal("running", launched.GetProperty("result").GetProperty("state").GetString());

            var instance = await InstanceCalls.GetAsync(client, name);
            Assert.Equal((zone, hosts[zone], "running", "running"),
                (instance.GetProperty("zone").GetString(), instance.GetProperty("host").GetString(), instance.GetProperty("state").GetString(), instance.GetProperty("observed").GetString()));
            Assert.Equal($"{name}.qcow2", instance.GetProperty("volume").GetProperty("name").GetString());
            Assert.Equal($"{name}:running:managed", await InventoryAsync(client, hosts[zone], name));

            Assert.Equal("stopped", await InstanceCalls.ActAsync(client, name, "stop", Deadline));
            Assert.Equal(HttpStatusCode.OK, await InEffectAsync(client, name, "stop"));
            Assert.Equal($"{name}:shutOff:managed", await InventoryAsync(client, hosts[zone], name));
            Assert.Equal("running", await InstanceCalls.ActAsync(client, name, "start", Deadline));
            Assert.Equal("running", await InstanceCalls.ActAsync(client, name, "restart", Deadline));
            Assert.Equal("suspended", await InstanceCalls.ActAsync(client, name, "suspend", Deadline));
            Assert.Equal($"{name}:paused:managed", await InventoryAsync(client, hosts[zone], name));
            Assert.Equal(HttpStatusCode.OK, await InEffectAsync(client, name, "suspend"));
            await ConflictAsync(client, HttpMethod.Post, $"api/v1/instances/{name}/start", "The instance is suspended.");
            Assert.Equal("running", await InstanceCalls.ActAsync(client, name, "resume", Deadline));

            // An instance on a host keeps it registered.
            using (var blocked = await client.DeleteAsync(new Uri($"api/v1/resources/{hosts[zone]}?force=true", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
                var item = Assert.Single((await Api.ReadJsonAsync(blocked)).GetProperty("blockingItems").EnumerateArray());
                Assert.Equal(("instance", name), (item.GetProperty("kind").GetString(), item.GetProperty("id").GetString()));
            }

            using (var terminate = await client.DeleteAsync(new Uri($"api/v1/instances/{name}", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
                var operation = await InstanceCalls.WaitAsync(client, terminate, Deadline);
                Assert.Equal("terminated", operation.GetProperty("result").GetProperty("state").GetString());
            }

            Assert.Equal("terminated", (await InstanceCalls.GetAsync(client, name)).GetProperty("state").GetString());
            Assert.Equal(string.Empty, await InventoryAsync(client, hosts[zone], name));
            await ConflictAsync(client, HttpMethod.Post, $"api/v1/instances/{name}/start", "The instance is terminated.");
        }

        // Both launches used one body apart from the zone, and both hosts are free again: a new launch fits on either.
        var relaunch = await LaunchAsync(client, "web-cloud", "inst-cloud");
        Assert.Equal("running", relaunch.GetProperty("result").GetProperty("state").GetString());
        using var cleanup = await client.DeleteAsync(new Uri("api/v1/instances/web-cloud", UriKind.Relative));
        await InstanceCalls.WaitAsync(client, cleanup, Deadline);
    }

    [Theory]
    [InlineData("""{"name":"bad-1","zone":"inst-bad","size":{"vcpus":1,"memoryMiB":256},"image":"windows-2022"}""", "image")]
    [InlineData("""{"name":"bad-2","zone":"no-such-zone","size":{"vcpus":1,"memoryMiB":256},"image":"ubuntu-24.04"}""", "zone")]
    [InlineData("""{"name":"bad-3","zone":"inst-bad","size":{"vcpus":0,"memoryMiB":256},"image":"ubuntu-24.04"}""", "size.vcpus")]
    [InlineData("""{"name":"bad-4","zone":"inst-bad","size":{"vcpus":1,"memoryMiB":16},"image":"ubuntu-24.04"}""", "size.memoryMiB")]
    [InlineData("""{"name":"bad-5","zone":"inst-bad","zoneSelector":{"kind":"client"},"size":{"vcpus":1,"memoryMiB":256},"image":"ubuntu-24.04"}""", "zone")]
    public async Task Launch_BadInput_Is400NamingTheField_AndRecordsNothing(string body, string field)
    {
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, "inst-bad");

        using var response = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Api.ReadJsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        var name = JsonDocument.Parse(body).RootElement.GetProperty("name").GetString();
        using var missing = await client.GetAsync(new Uri($"api/v1/instances/{name}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Launch_RepeatedWithItsClientRequestId_AnswersTheSameOperation_AndUnknownActionsAre404()
    {
        using var client = fixture.Host.CreateClient();
        await HostAsync(client, "inst-repeat", "client");
        var body = $$"""{"name":"web-repeat","zone":"inst-repeat","size":{"vcpus":1,"memoryMiB":256},"image":"{{TestDriverNode.Image}}","clientRequestId":"launch-1"}""";

        using var first = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(body));
        using var repeat = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(body));
        using var other = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(body.Replace("launch-1", "launch-2", StringComparison.Ordinal)));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Conflict), (first.StatusCode, repeat.StatusCode, other.StatusCode));
        Assert.Equal((await Api.ReadJsonAsync(first)).GetProperty("operationId").GetString(), (await Api.ReadJsonAsync(repeat)).GetProperty("operationId").GetString());
        await InstanceCalls.WaitAsync(client, first, Deadline);
        using (var unknown = await client.PostAsync(new Uri("api/v1/instances/web-repeat/explode", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using var terminate = await client.DeleteAsync(new Uri("api/v1/instances/web-repeat", UriKind.Relative));
        await InstanceCalls.WaitAsync(client, terminate, Deadline);
    }

    [Fact]
    public async Task Launch_HostKilledOnceDefinedBeforeItRuns_CompletesWithOneDomainAndOneDisk()
    {
        using var client = fixture.Host.CreateClient();
        var host = await HostAsync(client, "inst-crash", "client");
        var agent = _agents[^1];
        using var response = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(
            $$"""{"name":"web-crash","zone":"inst-crash","size":{"vcpus":1,"memoryMiB":512},"image":"{{TestDriverNode.Image}}"}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var operationId = (await Api.ReadJsonAsync(response)).GetProperty("operationId").GetString()!;

        // Defined (the disk is recorded) and not yet running: freeze the agent so the start waits, and kill the host.
        await Eventually.GetAsync(async () =>
        {
            using var read = await client.GetAsync(new Uri("api/v1/instances/web-crash", UriKind.Relative));
            var instance = await Api.ReadJsonAsync(read);
            return instance.TryGetProperty("volume", out var volume) && volume.ValueKind == JsonValueKind.Object ? instance.GetProperty("state").GetString() : null;
        }, Deadline, "the instance to be defined");
        Signal(agent.ProcessId, "STOP");
        try
        {
            await fixture.Host.KillAsync();
            await fixture.Host.StartAgainAsync();
        }
        finally
        {
            Signal(agent.ProcessId, "CONT");
        }

        var operation = await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "succeeded") || Api.HasStatus(o, "failed"), Deadline, "the launch after the restart");
        Assert.True(Api.HasStatus(operation, "succeeded"), operation.ToString());
        Assert.Equal("running", operation.GetProperty("result").GetProperty("state").GetString());

        // The host's own report (state sync) lists one domain of the name; terminating deletes its one disk.
        await Eventually.GetAsync(async () => await InventoryAsync(client, host, "web-crash") == "web-crash:running:managed" ? "ok" : null, Deadline, "the host's report");
        using var terminate = await client.DeleteAsync(new Uri("api/v1/instances/web-crash", UriKind.Relative));
        Assert.Equal("terminated", (await InstanceCalls.WaitAsync(client, terminate, Deadline)).GetProperty("result").GetProperty("state").GetString());
        Assert.Equal(string.Empty, await InventoryAsync(client, host, "web-crash"));
    }

    [Fact]
    public async Task Drift_DomainGoneFromTheHostBehindOurBack_ShowsFailedWithinAReconcile()
    {
        using var client = fixture.Host.CreateClient();
        var folder = Path.Combine(_folder, "inst-drift");
        Directory.CreateDirectory(folder);
        var uri = TestDriverNode.WriteWithImages(folder, ("legacy", true));
        await Api.CreateZoneAsync(client, "inst-drift");
        var settings = new Dictionary<string, string>(TestDriverNode.ImageSettings) { ["RelayAgent__Libvirt__Uris__0"] = uri };
        string host;
        await using (await fixture.StartAgentAsync("agent-inst-drift", "inst-drift", settings))
        {
            host = await Api.RegisteredAsync(client, "inst-drift", $$"""{"kind":"virtualizationHost","endpoint":"{{uri}}","serviceCategories":["compute"]}""");
            var launched = await LaunchAsync(client, "web-drift", "inst-drift");
            Assert.Equal("running", launched.GetProperty("result").GetProperty("state").GetString());
        }

        // The host comes back without the domain (the test driver starts again from its node file): as if removed by hand.
        _agents.Add(await fixture.StartAgentAsync("agent-inst-drift-2", "inst-drift", settings));
        var drifted = await Eventually.GetAsync(async () =>
        {
            var instance = await InstanceCalls.GetAsync(client, "web-drift");
            return instance.GetProperty("state").GetString() == "failed" ? (JsonElement?)instance : null;
        }, TimeSpan.FromSeconds(CommandChannelFixture.ReconcileSeconds * 10), "state sync to see the domain gone");

        Assert.StartsWith("drift: the host no longer has the domain 'web-drift'", drifted.GetValueOrDefault().GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("legacy:running:unmanaged", await InventoryAsync(client, host, "legacy"));
        using var terminate = await client.DeleteAsync(new Uri("api/v1/instances/web-drift", UriKind.Relative));
        Assert.Equal("terminated", (await InstanceCalls.WaitAsync(client, terminate, Deadline)).GetProperty("result").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Adopt_ADomainFoundOnTheHost_IsListedUnmanaged_ThenTakesTheSameActions_AndTerminateRemovesIt_ARefusedAdoptionLeavesNoRecord()
    {
        using var client = fixture.Host.CreateClient();
        var folder = Path.Combine(_folder, "inst-adopt");
        Directory.CreateDirectory(folder);
        var uri = TestDriverNode.WriteWithImages(folder, ("legacy", true));
        await Api.CreateZoneAsync(client, "inst-adopt");
        _agents.Add(await fixture.StartAgentAsync("agent-inst-adopt", "inst-adopt", new Dictionary<string, string>(TestDriverNode.ImageSettings) { ["RelayAgent__Libvirt__Uris__0"] = uri }));
        var host = await Api.RegisteredAsync(client, "inst-adopt", $$"""{"kind":"virtualizationHost","endpoint":"{{uri}}","serviceCategories":["compute"]}""");
        Assert.Equal("legacy:running:unmanaged", await InventoryAsync(client, host, "legacy"));

        using (var noHost = await client.PostAsync(new Uri("api/v1/instances/adopt", UriKind.Relative), Api.Json("""{"host":"no-such-host","name":"legacy"}""")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noHost.StatusCode);
            Assert.Contains("\"host\"", await noHost.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var adopt = await client.PostAsync(new Uri("api/v1/instances/adopt", UriKind.Relative), Api.Json($$$"""{"host":"{{{host}}}","name":"legacy","tags":{"team":"db"}}"""));
        Assert.Equal(HttpStatusCode.Accepted, adopt.StatusCode);
        Assert.Equal("running", (await InstanceCalls.WaitAsync(client, adopt, Deadline)).GetProperty("result").GetProperty("state").GetString());
        var adopted = await InstanceCalls.GetAsync(client, "legacy");
        Assert.Equal(
            ("running", true, false, 1, 1024, host, "db"),
            (adopted.GetProperty("state").GetString(), adopted.GetProperty("adopted").GetBoolean(), adopted.TryGetProperty("image", out var image) && image.ValueKind != JsonValueKind.Null,
                adopted.GetProperty("size").GetProperty("vcpus").GetInt32(), adopted.GetProperty("size").GetProperty("memoryMiB").GetInt32(),
                adopted.GetProperty("host").GetString(), adopted.GetProperty("tags").GetProperty("team").GetString()));
        Assert.Equal("legacy:running:managed", await InventoryAsync(client, host, "legacy"));

        using (var again = await client.PostAsync(new Uri("api/v1/instances/adopt", UriKind.Relative), Api.Json($$"""{"host":"{{host}}","name":"legacy"}""")))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        Assert.Equal("stopped", await InstanceCalls.ActAsync(client, "legacy", "stop", Deadline));
        Assert.Equal("legacy:shutOff:managed", await InventoryAsync(client, host, "legacy"));
        Assert.Equal("running", await InstanceCalls.ActAsync(client, "legacy", "start", Deadline));

        using var ghost = await client.PostAsync(new Uri("api/v1/instances/adopt", UriKind.Relative), Api.Json($$"""{"host":"{{host}}","name":"ghost"}"""));
        var refused = (await InstanceCalls.WaitAsync(client, ghost, Deadline)).GetProperty("result");
        Assert.Equal("failed", refused.GetProperty("state").GetString());
        Assert.Contains("no domain named 'ghost'", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        using (var gone = await client.GetAsync(new Uri("api/v1/instances/ghost", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        using var terminate = await client.DeleteAsync(new Uri("api/v1/instances/legacy", UriKind.Relative));
        Assert.Equal("terminated", (await InstanceCalls.WaitAsync(client, terminate, Deadline)).GetProperty("result").GetProperty("state").GetString());
        Assert.Equal(string.Empty, await InventoryAsync(client, host, "legacy"));
    }

    [Fact]
    public async Task StateSync_ADomainMadeByHandOnAHostWithNoManagedInstance_IsListedUnmanagedWithinAReconcile()
    {
        using var client = fixture.Host.CreateClient();
        var folder = Path.Combine(_folder, "inst-seen");
        Directory.CreateDirectory(folder);
        var uri = TestDriverNode.WriteWithImages(folder);
        await Api.CreateZoneAsync(client, "inst-seen");
        var settings = new Dictionary<string, string>(TestDriverNode.ImageSettings) { ["RelayAgent__Libvirt__Uris__0"] = uri };
        string host;
        await using (await fixture.StartAgentAsync("agent-inst-seen", "inst-seen", settings))
        {
            host = await Api.RegisteredAsync(client, "inst-seen", $$"""{"kind":"virtualizationHost","endpoint":"{{uri}}","serviceCategories":["compute"]}""");
            Assert.Equal(string.Empty, await InventoryAsync(client, host, "by-hand"));
        }

        // Someone defines and starts a domain on the host by hand (the test driver starts again from its node file).
        TestDriverNode.WriteWithImages(folder, ("by-hand", true));
        _agents.Add(await fixture.StartAgentAsync("agent-inst-seen-2", "inst-seen", settings));

        await Eventually.GetAsync(
            async () => await InventoryAsync(client, host, "by-hand") == "by-hand:running:unmanaged" ? "seen" : null,
            TimeSpan.FromSeconds(CommandChannelFixture.ReconcileSeconds * 10), "state sync to list the domain made by hand");
    }

    [Fact]
    public async Task Recovery_ALaunchRecordedButNeverScheduled_IsScheduledByStateSync_AndAnActionNeverScheduled_IsDroppedSayingSo()
    {
        using var client = fixture.Host.CreateClient();
        await HostAsync(client, "inst-lost", "client");

        // What a host killed between recording a request and scheduling its workflow leaves behind: the record alone,
        // as the table store writes it, last changed two minutes ago.
        var table = new Azure.Data.Tables.TableClient(fixture.Azurite.ConnectionString, "ComputeInstances");
        var longAgo = DateTimeOffset.UtcNow.AddMinutes(-2);
        await WriteRecordAsync(table, new JsonObject
        {
            ["TenantId"] = CommandChannelFixture.TenantId, ["Name"] = "web-lost", ["Zones"] = new JsonArray("inst-lost"), ["VirtualCpus"] = 1, ["MemoryMiB"] = 512,
            ["Image"] = TestDriverNode.Image, ["Tags"] = new JsonObject(), ["State"] = "pending", ["OperationId"] = Guid.NewGuid().ToString("N"), ["CreatedAt"] = longAgo, ["UpdatedAt"] = longAgo,
        });
        await WriteRecordAsync(table, new JsonObject
        {
            ["TenantId"] = CommandChannelFixture.TenantId, ["Name"] = "web-stuck", ["Zones"] = new JsonArray("inst-nowhere"), ["VirtualCpus"] = 1, ["MemoryMiB"] = 512,
            ["Image"] = TestDriverNode.Image, ["Tags"] = new JsonObject(), ["State"] = "stopping", ["PendingAction"] = "stop", ["Observed"] = "running", ["Zone"] = "inst-nowhere",
            ["HostId"] = "kvm-nowhere", ["HostUri"] = "test:///nowhere", ["OperationId"] = Guid.NewGuid().ToString("N"), ["CreatedAt"] = longAgo, ["UpdatedAt"] = longAgo,
        });

        var launched = await Eventually.GetAsync(async () =>
        {
            var instance = await InstanceCalls.GetAsync(client, "web-lost");
            return instance.GetProperty("state").GetString() == "running" ? (JsonElement?)instance : null;
        }, TimeSpan.FromSeconds(CommandChannelFixture.ReconcileSeconds * 20), "state sync to schedule the lost launch and the launch to finish");
        Assert.Equal("inst-lost", launched.GetValueOrDefault().GetProperty("zone").GetString());

        var dropped = await InstanceCalls.GetAsync(client, "web-stuck");
        Assert.Equal("running", dropped.GetProperty("state").GetString());
        Assert.False(dropped.TryGetProperty("pendingAction", out var pending) && pending.ValueKind != JsonValueKind.Null);
        Assert.Equal("the stop was accepted but its workflow never started (the service stopped in between); ask again.", dropped.GetProperty("reason").GetString());

        using var terminate = await client.DeleteAsync(new Uri("api/v1/instances/web-lost", UriKind.Relative));
        Assert.Equal("terminated", (await InstanceCalls.WaitAsync(client, terminate, Deadline)).GetProperty("result").GetProperty("state").GetString());
    }

    private static Task WriteRecordAsync(Azure.Data.Tables.TableClient table, JsonObject record) =>
        table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(record["TenantId"]!.GetValue<string>(), record["Name"]!.GetValue<string>())
        {
            ["State"] = "Pending",
            ["Record"] = record.ToJsonString(),
        });

    [Fact]
    public async Task Batch_OfAHundred_TenAtOnce_TwoErrorsTolerated_StopsStartingAfterTheThirdFailure_AndNeverRunsMoreThanTen()
    {
        using var client = fixture.Host.CreateClient();
        await HostAsync(client, "batch-a", "client");
        await HostAsync(client, "batch-b", "provider");
        var names = Enumerable.Range(0, 3).Select(i => ("b-" + i, "batch-b")).Concat(Enumerable.Range(0, 97).Select(i => ($"w-{i:000}", "batch-a"))).ToList();
        var launches = await Task.WhenAll(names.Select(async n =>
        {
            using var response = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(
                $$$"""{"name":"{{{n.Item1}}}","zone":"{{{n.Item2}}}","size":{"vcpus":1,"memoryMiB":64},"image":"{{{TestDriverNode.Image}}}","tags":{"batch":"t1"}}"""));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return (await Api.ReadJsonAsync(response)).GetProperty("operationId").GetString()!;
        }));
        foreach (var operationId in launches)
        {
            await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "succeeded"), TimeSpan.FromSeconds(120), "the batch's instances to launch");
        }

        // A hundred launches raced for two hosts' reservations: every one landed and runs.
        using (var list = await client.GetAsync(new Uri("api/v1/instances?tag=batch%3Dt1&pageSize=200", UriKind.Relative)))
        {
            var items = (await Api.ReadJsonAsync(list)).GetProperty("items").EnumerateArray().ToList();
            var notRunning = items.Where(i => i.GetProperty("state").GetString() != "running").Select(i => i.ToString()).ToList();
            Assert.True(items.Count == 100 && notRunning.Count == 0, $"{items.Count} instances; not running: {string.Join("; ", notRunning)}");
        }

        // The provider zone's agent goes away: once its group is disconnected, its three targets fail at once.
        await _agents[^1].DisposeAsync();
        _agents.RemoveAt(_agents.Count - 1);
        await Eventually.GetAsync(async () =>
        {
            using var agents = await client.GetAsync(new Uri("api/v1/zones/batch-b/agents", UriKind.Relative));
            return (await Api.ReadJsonAsync(agents)).GetProperty("status").GetString() == "disconnected" ? "ok" : null;
        }, TimeSpan.FromSeconds(CommandChannelFixture.DisconnectedAfterSeconds + 30), "batch-b to be disconnected");

        using var started = await client.PostAsync(new Uri("api/v1/instances/actions", UriKind.Relative), Api.Json(
            """{"action":"restart","targets":{"tag":"batch=t1"},"maxConcurrency":"10","maxErrors":"2"}"""));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var accepted = await Api.ReadJsonAsync(started);
        Assert.Equal((100, 10, 2), (accepted.GetProperty("targets").GetArrayLength(), accepted.GetProperty("maxConcurrency").GetInt32(), accepted.GetProperty("maxErrors").GetInt32()));
        var batch = await Api.WaitForOperationAsync(client, accepted.GetProperty("operationId").GetString()!,
            o => Api.HasStatus(o, "succeeded") || Api.HasStatus(o, "failed"), TimeSpan.FromSeconds(120), "the batch");
        Assert.True(Api.HasStatus(batch, "succeeded"), batch.ToString());

        var targets = batch.GetProperty("result").GetProperty("targets").EnumerateArray().ToDictionary(
            t => t.GetProperty("name").GetString()!,
            t => (Status: t.GetProperty("status").GetString()!, Started: Time(t, "startedAt"), Ended: Time(t, "endedAt")));
        Assert.True(targets.Where(t => t.Value.Status == "failed").Select(t => t.Key).Order(StringComparer.Ordinal).SequenceEqual(["b-0", "b-1", "b-2"]), batch.ToString());
        // The first ten start together; how many more start before the third failure is seen depends on how fast the
        // restarts beside them finish. What the budget promises is checked below: none starts after it.
        var ran = targets.Where(t => t.Value.Status is "succeeded" or "failed").ToList();
        Assert.InRange(ran.Count, 10, 50);
        Assert.Equal(100 - ran.Count, targets.Count(t => t.Value.Status == "skipped" && t.Value.Started is null));

        // No target started after the third failure, as the batch's own timeline records it.
        var thirdFailure = targets.Where(t => t.Value.Status == "failed").Max(t => t.Value.Ended!.Value);
        Assert.All(ran, t => Assert.True(t.Value.Started <= thirdFailure, $"{t.Key} started at {t.Value.Started:O}, after the third failure at {thirdFailure:O}"));

        // Concurrency as the agent saw it: each restart it ran was in flight from its issue to the agent's finishing it.
        var spans = (await AgentSpansAsync("instance.reboot")).Where(s => s.Group == "batch-a").ToList();
        Assert.Equal(ran.Count - 3, spans.Count);
        Assert.True(MostAtOnce(spans) <= 10, $"{MostAtOnce(spans)} restarts in flight at once");

        // A batch canceled at once: what was in progress finishes, nothing more starts, the rest end canceled.
        using var slow = await client.PostAsync(new Uri("api/v1/instances/actions", UriKind.Relative), Api.Json(
            """{"action":"restart","targets":{"zone":"batch-a"},"maxConcurrency":"1","maxErrors":"100%"}"""));
        var slowId = (await Api.ReadJsonAsync(slow)).GetProperty("operationId").GetString()!;
        using (var cancel = await client.PostAsync(new Uri($"api/v1/instances/actions/{slowId}/cancel", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        var canceled = (await Api.WaitForOperationAsync(client, slowId, o => Api.HasStatus(o, "succeeded") || Api.HasStatus(o, "failed"), TimeSpan.FromSeconds(120), "the canceled batch"))
            .GetProperty("result");
        var statuses = canceled.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("status").GetString()).ToList();
        Assert.True(canceled.GetProperty("canceled").GetBoolean());
        Assert.True(statuses.Count == 97, canceled.ToString());
        Assert.True(statuses.Count(s => s == "canceled") >= 80, string.Join(",", statuses));
        Assert.DoesNotContain(statuses, s => s is "pending" or "inProgress");
        using (var unknown = await client.PostAsync(new Uri($"api/v1/instances/actions/{launches[0]}/cancel", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
    }

    [Fact]
    public async Task Batch_PerZoneConcurrency_KeepsEachZoneWithinItsLimit_AsTheAgentsSawIt()
    {
        using var client = fixture.Host.CreateClient();
        await HostAsync(client, "pz-a", "client");
        await HostAsync(client, "pz-b", "provider");
        var launches = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            using var response = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(
                $$$"""{"name":"pz-{{{i:00}}}","zone":"{{{(i % 2 == 0 ? "pz-a" : "pz-b")}}}","size":{"vcpus":1,"memoryMiB":64},"image":"{{{TestDriverNode.Image}}}","tags":{"batch":"pz"}}"""));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return (await Api.ReadJsonAsync(response)).GetProperty("operationId").GetString()!;
        }));
        foreach (var operationId in launches)
        {
            await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "succeeded"), TimeSpan.FromSeconds(120), "the batch's instances to launch");
        }

        using var started = await client.PostAsync(new Uri("api/v1/instances/actions", UriKind.Relative), Api.Json(
            """{"action":"restart","targets":{"tag":"batch=pz"},"maxConcurrency":"10","maxErrors":"0","perZoneConcurrency":2}"""));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var batch = await Api.WaitForOperationAsync(client, (await Api.ReadJsonAsync(started)).GetProperty("operationId").GetString()!,
            o => Api.HasStatus(o, "succeeded") || Api.HasStatus(o, "failed"), TimeSpan.FromSeconds(120), "the batch");
        Assert.All(batch.GetProperty("result").GetProperty("targets").EnumerateArray(), t => Assert.Equal("succeeded", t.GetProperty("status").GetString()));

        var spans = await AgentSpansAsync("instance.reboot");
        Assert.Equal(16, spans.Count);
        foreach (var zone in new[] { "pz-a", "pz-b" })
        {
            var inZone = spans.Where(s => s.Group == zone).ToList();
            Assert.Equal(8, inZone.Count);
            Assert.True(MostAtOnce(inZone) <= 2, $"{MostAtOnce(inZone)} restarts in flight at once in {zone}");
        }
    }

    /// <summary>
    /// The commands of a kind the agents ran, each as the span it was in flight: from when the control plane issued it
    /// (the agent's journal) to when the agent finished it (the agent's timings, stored with its result).
    /// </summary>
    private async Task<List<(string Group, DateTimeOffset Issued, DateTimeOffset Completed)>> AgentSpansAsync(string kind)
    {
        var issued = _agents.SelectMany(a => a.JournalEntries()).Where(e => e.Kind == kind).ToDictionary(e => e.CommandId, e => e.IssuedAt);
        var table = new Azure.Data.Tables.TableClient(fixture.Azurite.ConnectionString, "CommandResults");
        var spans = new List<(string Group, DateTimeOffset Issued, DateTimeOffset Completed)>();
        await foreach (var entity in table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == CommandChannelFixture.TenantId))
        {
            var result = JsonDocument.Parse(entity.GetString("Result")).RootElement;
            if (issued.TryGetValue(result.GetProperty("commandId").GetString()!, out var at))
            {
                spans.Add((result.GetProperty("agentGroup").GetString()!, at, result.GetProperty("timings").GetProperty("completedAt").GetDateTimeOffset()));
            }
        }

        return spans;
    }

    private static int MostAtOnce(List<(string Group, DateTimeOffset Issued, DateTimeOffset Completed)> spans) =>
        spans.Count == 0 ? 0 : spans.Max(s => spans.Count(o => o.Issued <= s.Issued && s.Issued < o.Completed));

    private static DateTimeOffset? Time(JsonElement target, string property) =>
        target.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetDateTimeOffset() : null;

    private static void Signal(int processId, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>A zone with its agent and a registered compute host of its own (test driver, image pool); returns the host's id.</summary>
    private async Task<string> HostAsync(HttpClient client, string zone, string kind)
    {
        var folder = Path.Combine(_folder, zone);
        Directory.CreateDirectory(folder);
        var uri = TestDriverNode.WriteWithImages(folder);
        await Api.CreateZoneAsync(client, zone, kind);
        var settings = new Dictionary<string, string>(TestDriverNode.ImageSettings) { ["RelayAgent__Libvirt__Uris__0"] = uri };
        _agents.Add(await fixture.StartAgentAsync($"agent-{zone}", zone, settings));
        return await Api.RegisteredAsync(client, zone, $$"""{"kind":"virtualizationHost","endpoint":"{{uri}}","serviceCategories":["compute"]}""");
    }

    private static async Task<JsonElement> LaunchAsync(HttpClient client, string name, string zone)
    {
        using var response = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(
            $$$"""{"name":"{{{name}}}","zone":"{{{zone}}}","size":{"vcpus":1,"memoryMiB":512},"image":"{{{TestDriverNode.Image}}}","placement":{"spread":"web"},"tags":{"tier":"web"}}"""));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await InstanceCalls.WaitAsync(client, response, Deadline);
    }

    private static async Task<HttpStatusCode> InEffectAsync(HttpClient client, string name, string action)
    {
        using var response = await client.PostAsync(new Uri($"api/v1/instances/{name}/{action}", UriKind.Relative), null);
        return response.StatusCode;
    }

    private static async Task ConflictAsync(HttpClient client, HttpMethod method, string path, string title)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, new Uri(path, UriKind.Relative)));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(title, (await Api.ReadJsonAsync(response)).GetProperty("title").GetString());
    }


    /// <summary>The host's inventory entry for the instance, as "name:state", or empty when it holds none.</summary>
    private static async Task<string> InventoryAsync(HttpClient client, string host, string name)
    {
        using var response = await client.GetAsync(new Uri($"api/v1/resources/{host}/instances", UriKind.Relative));
        return string.Join(",", (await Api.ReadJsonAsync(response)).GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("name").GetString() == name)
            .Select(i => $"{i.GetProperty("name").GetString()}:{i.GetProperty("state").GetString()}:{(i.GetProperty("managed").GetBoolean() ? "managed" : "unmanaged")}"));
    }
}

using System.Net;
using System.Text.Json;
using Serverless.Testing;
using Xunit.Abstractions;

namespace Serverless.IntegrationTests;

/// <summary>
/// kill -9 of the local host at every step of a migration: just before each of its activities runs, right after it has
/// had its effect and before the durable worker stored that it ran, after each agent answer it heard before the episode
/// that took it was stored, and before each timer it created, a command wait's slice (a sample of them unless
/// <c>CRASH_MATRIX=full</c>: see <see cref="CrashMatrix"/>). The steps are read from a crash-free migration's durable
/// history, so a step added to the orchestration is crashed at without a change here. Each time the host is started
/// again without the fault and the migration must end as the crash-free one did: succeeded, the instance running at the
/// target only, as both hosts report it. One instance moves back and forth between a client and a provider zone. Then
/// the same for the fallback: with a target whose restore always fails (its agent's state folder is a file, so the
/// download has nowhere to go), a crash-free fallback gives the steps, the host is killed after each, and each
/// migration still ends rolled back with the instance running at its source. The fallback's matrix starts at the
/// restore that fails: the steps before it are the successful migration's, already crashed at.
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class MigrationCrashTests(CrashFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly string _folder = RepositoryPaths.NewScratchFolder("migration-crash");
    private readonly List<RelayAgentProcess> _agents = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await fixture.Host.RestoreDefaultsAsync();

        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        RepositoryPaths.DeleteScratchFolder(_folder);
    }

    [Fact]
    public async Task KilledAfterEveryStep_TheMigrationStillSucceeds_WithExactlyOneCopyRunning()
    {
        using var client = fixture.Host.CreateClient();
        var hosts = new Dictionary<string, string>();
        foreach (var (zone, kind) in new[] { ("mcr-dc", "client"), ("mcr-cloud", "provider") })
        {
            var uri = TestDriverNode.WriteWithImages(Directory.CreateDirectory(Path.Combine(_folder, zone)).FullName);
            await Api.CreateZoneAsync(client, zone, kind);
            _agents.Add(await fixture.StartAgentAsync($"agent-{zone}", zone, new Dictionary<string, string>(TestDriverNode.ImageSettings)
            {
                ["RelayAgent__Libvirt__Uris__0"] = uri,
            }));
            hosts[zone] = await Api.RegisteredAsync(client, zone, $$"""{"kind":"virtualizationHost","endpoint":"{{uri}}","serviceCategories":["compute","migration"]}""");
        }

        using (var launched = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(
            $$"""{"name":"mcr-1","zone":"mcr-dc","size":{"vcpus":1,"memoryMiB":256},"image":"{{TestDriverNode.Image}}"}""")))
        {
            Assert.True(launched.StatusCode == HttpStatusCode.Accepted, await launched.Content.ReadAsStringAsync());
            await InstanceCalls.WaitAsync(client, launched, Deadline);
        }

        var (killPoints, _) = await CrashFreeStepsAsync(client, "mcr-1", "mcr-cloud", "succeeded", KillPlaces.Boundaries);
        Assert.True(killPoints.Count >= 9 && killPoints[0].Value == "ReserveMigrationTarget#1" && killPoints.Any(k => k.Value == "CommitMigration#1") && killPoints[^1].Value == "EndMigration#1",
            $"a migration reserves, records its phases, commits and ends; the history says {string.Join(", ", killPoints)}");
        var (from, to) = ("mcr-cloud", "mcr-dc");
        foreach (var killPoint in CrashMatrix.Select(killPoints, output))
        {
            await fixture.StartDoomedHostAsync(killPoint);
            using (var migrated = await client.PostAsync(new Uri("api/v1/instances/mcr-1/migrations", UriKind.Relative), Api.Json($$"""{"targetZone":"{{to}}"}""")))
            {
                Assert.True(migrated.StatusCode == HttpStatusCode.Accepted, $"before the kill at {killPoint}: {await migrated.Content.ReadAsStringAsync()}");
                var migration = (await Api.ReadJsonAsync(migrated)).GetProperty("migrationId").GetString()!;
                await fixture.RestartAfterKillAsync(killPoint);

                var ended = await MigrationCalls.WaitForEndAsync(client, migration, Deadline, $" after a kill at {killPoint}");
                Assert.True(ended.GetProperty("status").GetString() == "succeeded", $"after a kill at {killPoint}: {ended}");
            }

            await HostDomains.WaitForAsync(client, hosts[from], []);
            await HostDomains.WaitForAsync(client, hosts[to], ["mcr-1:running"]);
            var instance = await InstanceCalls.GetAsync(client, "mcr-1");
            Assert.Equal((to, "running"), (instance.GetProperty("zone").GetString(), instance.GetProperty("state").GetString()));
            (from, to) = (to, from);
        }
    }

    [Fact]
    public async Task KilledAfterEveryFallbackStep_TheMigrationStillRollsBack_WithTheSourceRunning()
    {
        using var client = fixture.Host.CreateClient();
        var uris = new Dictionary<string, string>();
        var hosts = new Dictionary<string, string>();
        foreach (var (zone, kind) in new[] { ("mfb-dc", "client"), ("mfb-cloud", "provider") })
        {
            uris[zone] = TestDriverNode.WriteWithImages(Directory.CreateDirectory(Path.Combine(_folder, zone)).FullName);
            await Api.CreateZoneAsync(client, zone, kind);
        }

        var unusable = Path.Combine(_folder, "state-is-a-file");
        await File.WriteAllTextAsync(unusable, "not a folder");
        _agents.Add(await StartAgentAsync("mfb-dc", uris["mfb-dc"]));
        _agents.Add(await StartAgentAsync("mfb-cloud", uris["mfb-cloud"], stateDirectory: unusable));
        foreach (var zone in uris.Keys)
        {
            hosts[zone] = await Api.RegisteredAsync(client, zone, $$"""{"kind":"virtualizationHost","endpoint":"{{uris[zone]}}","serviceCategories":["compute","migration"]}""");
        }

        using (var launched = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(
            $$"""{"name":"mfb-1","zone":"mfb-dc","size":{"vcpus":1,"memoryMiB":256},"image":"{{TestDriverNode.Image}}"}""")))
        {
            Assert.True(launched.StatusCode == HttpStatusCode.Accepted, await launched.Content.ReadAsStringAsync());
            await InstanceCalls.WaitAsync(client, launched, Deadline);
        }

        var (steps, crashFree) = await CrashFreeStepsAsync(client, "mfb-1", "mfb-cloud", "rolledBack", KillPlaces.Boundaries);
        var history = string.Join(", ", steps);
        var names = steps.Select(s => s.Value).ToList();
        Assert.True(names.Contains("SettleMigrationAtSource#1") && names.Contains("DeleteMigrationBlobs#1") && !names.Contains("CommitMigration#1"),
            $"a fallback settles at the source and deletes the blobs, never commits; the history says {history}");

        // Up to the restore the steps are a successful migration's, which the other matrix crashes at; this one begins
        // with the send of the restore that fails and its answer, then every step of the fallback. The record lists the
        // phases in the order they were recorded after the preflight, so fallingBack at position k was the k-th phase record.
        var phases = crashFree.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("phase").GetString()).ToList();
        var fallingBack = names.IndexOf($"RecordMigrationPhase#{phases.IndexOf("fallingBack")}");
        var lastSend = names.FindLastIndex(Math.Max(fallingBack, 0), n => n.StartsWith("SendCommand#", StringComparison.Ordinal));
        // From just before that send: its first point.
        var restoreSent = lastSend < 0 ? -1 : names.IndexOf(names[lastSend]);
        Assert.True(phases[0] == "preflight" && fallingBack > 0 && restoreSent > 0 && steps.Skip(fallingBack + 1).Count(k => k.Setting == "KillAfterEvent") == 2,
            $"the fallback follows the restore's send and hears the target's undo and the source's revert; the history says {history}; the phases {string.Join(", ", phases)}");
        var killPoints = steps.Skip(restoreSent).ToList();
        foreach (var killPoint in CrashMatrix.Select(killPoints, output))
        {
            await fixture.StartDoomedHostAsync(killPoint);
            using var migrated = await client.PostAsync(new Uri("api/v1/instances/mfb-1/migrations", UriKind.Relative), Api.Json("""{"targetZone":"mfb-cloud"}"""));
            Assert.True(migrated.StatusCode == HttpStatusCode.Accepted, $"before the kill at {killPoint}: {await migrated.Content.ReadAsStringAsync()}");
            var migration = (await Api.ReadJsonAsync(migrated)).GetProperty("migrationId").GetString()!;

            await fixture.RestartAfterKillAsync(killPoint);
            var ended = await MigrationCalls.WaitForEndAsync(client, migration, Deadline, $" after a kill at {killPoint}");
            Assert.True(ended.GetProperty("status").GetString() == "rolledBack", $"after a kill at {killPoint}: {ended}");
            Assert.StartsWith("restore at the target failed:", ended.GetProperty("reason").GetString(), StringComparison.Ordinal);

            await HostDomains.WaitForAsync(client, hosts["mfb-dc"], ["mfb-1:running"]);
            await HostDomains.WaitForAsync(client, hosts["mfb-cloud"], []);
            var instance = await InstanceCalls.GetAsync(client, "mfb-1");
            Assert.Equal(("mfb-dc", "running", JsonValueKind.Undefined), (instance.GetProperty("zone").GetString(), instance.GetProperty("state").GetString(),
                instance.TryGetProperty("pendingAction", out var pending) ? pending.ValueKind : JsonValueKind.Undefined));
        }
    }

    /// <summary>
    /// Migrates <paramref name="instance"/> to <paramref name="targetZone"/> without a crash, expecting it to end with
    /// <paramref name="status"/>, and returns the kill points in <paramref name="places"/> its history shows, and its record.
    /// </summary>
    private async Task<(IReadOnlyList<KillPoint> KillPoints, JsonElement Ended)> CrashFreeStepsAsync(HttpClient client, string instance, string targetZone, string status, KillPlaces places)
    {
        using var migrated = await client.PostAsync(new Uri($"api/v1/instances/{instance}/migrations", UriKind.Relative), Api.Json($$"""{"targetZone":"{{targetZone}}"}"""));
        Assert.True(migrated.StatusCode == HttpStatusCode.Accepted, await migrated.Content.ReadAsStringAsync());
        var migration = (await Api.ReadJsonAsync(migrated)).GetProperty("migrationId").GetString()!;
        var ended = await MigrationCalls.WaitForEndAsync(client, migration, Deadline, " without a crash");
        Assert.True(ended.GetProperty("status").GetString() == status, $"the crash-free migration: {ended}");

        return (await DurableHistory.KillPointsAsync(fixture.Azurite, fixture.Host.HubName, $"{CommandChannelFixture.TenantId}.{migration}", places), ended);
    }

    private Task<RelayAgentProcess> StartAgentAsync(string zone, string uri, string? stateDirectory = null)
    {
        var settings = new Dictionary<string, string>(TestDriverNode.ImageSettings)
        {
            ["RelayAgent__Libvirt__Uris__0"] = uri,
        };
        if (stateDirectory is not null)
        {
            settings["RelayAgent__Libvirt__StateDirectory"] = stateDirectory;
        }

        return fixture.StartAgentAsync($"agent-{zone}", zone, settings);
    }
}

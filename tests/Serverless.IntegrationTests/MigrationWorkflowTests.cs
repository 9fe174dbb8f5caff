using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Serverless.Contracts.Commands;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// Quiesce-migrate end to end: the local host, the Service Bus emulator, Azurite, and real agents for a client zone and
/// a provider zone, each with its own libvirt test-driver host. A running instance moves from the client zone to the
/// provider zone through Blob Storage; a target whose agent is gone after the upload, and a state blob changed in
/// Azurite before the restore, each bring the instance back at its source. A test migration runs a detached copy at the
/// target and removes it, the instance staying at its source. Where it runs is read from the hosts' own
/// reports (state sync through their agents), not only from our records.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class MigrationWorkflowTests(CommandChannelFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly string _folder = RepositoryPaths.NewScratchFolder("migrations");
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
    public async Task Migrate_RunningInstance_FromClientToProviderZone_RunsOnlyAtTheTarget_WithItsNameAndPoolMembership_AndTheBlobsGone()
    {
        using var client = fixture.Host.CreateClient();
        var site = await SiteAsync(client, "mig-a");
        await LaunchAsync(client, "mig-a-1", site.ClientZone);
        var pool = await PoolWithMemberAsync(client, "mig-a-pool", site.ClientHost, "mig-a-1");

        var migration = await MigrateAsync(client, "mig-a-1", $$"""{"targetZone":"{{site.ProviderZone}}"}""");
        var ended = await MigrationCalls.WaitForEndAsync(client, migration, Deadline);

        Assert.True(ended.GetProperty("status").GetString() == "succeeded", ended.ToString());
        Assert.Equal(
            ["preflight", "quiesce", "save", "upload", "restore", "verify", "commit", "cleanUp"],
            ended.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("phase").GetString()));
        Assert.All(ended.GetProperty("phases").EnumerateArray(), p => Assert.True(p.GetProperty("seconds").GetDouble() >= 0, p.ToString()));
        Assert.True(ended.GetProperty("bytes").GetProperty("state").GetInt64() > 0, ended.ToString());
        Assert.Equal(site.ProviderHost, ended.GetProperty("target").GetProperty("host").GetString());

        var instance = await InstanceCalls.GetAsync(client, "mig-a-1");
        Assert.Equal((site.ProviderZone, site.ProviderHost, "running"),
            (instance.GetProperty("zone").GetString(), instance.GetProperty("host").GetString(), instance.GetProperty("state").GetString()));
        await HostDomains.WaitForAsync(client, site.ClientHost, []);
        await HostDomains.WaitForAsync(client, site.ProviderHost, ["mig-a-1:running"]);
        Assert.Empty(await BlobsOfAsync(migration));
        Assert.Equal(site.ProviderHost, await MemberResourceAsync(client, pool));

        // At the target it is an instance like any other: defined persistently, so it stops and starts again.
        Assert.Equal("stopped", await InstanceCalls.ActAsync(client, "mig-a-1", "stop", Deadline));
        Assert.Equal("running", await InstanceCalls.ActAsync(client, "mig-a-1", "start", Deadline));
        await HostDomains.WaitForAsync(client, site.ProviderHost, ["mig-a-1:running"]);

        using var listed = await client.GetAsync(new Uri("api/v1/migrations?instance=mig-a-1", UriKind.Relative));
        Assert.Equal([migration], (await Api.ReadJsonAsync(listed)).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task TestMigration_RunsACopyAtTheTargetWithItsNetworkDetached_ThenRemovesIt_AndTheSourceRunsOn()
    {
        using var client = fixture.Host.CreateClient();
        var site = await SiteAsync(client, "mig-t");
        await LaunchAsync(client, "mig-t-1", site.ClientZone);

        var migration = await MigrateAsync(client, "mig-t-1", $$"""{"targetZone":"{{site.ProviderZone}}","mode":"test"}""");
        var ended = await MigrationCalls.WaitForEndAsync(client, migration, Deadline);

        Assert.True(ended.GetProperty("status").GetString() == "succeeded", ended.ToString());
        Assert.Equal(("test", true), (ended.GetProperty("mode").GetString(), ended.GetProperty("cutoverWouldSucceed").GetBoolean()));
        Assert.False(ended.TryGetProperty("reason", out _), ended.ToString());
        Assert.Equal(
            ["preflight", "quiesce", "save", "upload", "restore", "verify", "cleanUp"],
            ended.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("phase").GetString()));

        // The instance never moved, and runs at its source only; the target made a copy, ran it and removed it.
        var instance = await InstanceCalls.GetAsync(client, "mig-t-1");
        Assert.Equal((site.ClientZone, site.ClientHost, "running", JsonValueKind.Undefined),
            (instance.GetProperty("zone").GetString(), instance.GetProperty("host").GetString(), instance.GetProperty("state").GetString(),
             instance.TryGetProperty("reason", out var reason) ? reason.ValueKind : JsonValueKind.Undefined));
        await HostDomains.WaitForAsync(client, site.ClientHost, ["mig-t-1:running"]);
        await HostDomains.WaitForAsync(client, site.ProviderHost, []);
        Assert.Empty(await BlobsOfAsync(migration));
        var atTarget = site.ProviderAgent!.JournalEntries().Select(e => e.Kind).ToList();
        Assert.Equal([CommandKinds.RestoreInstance, CommandKinds.ResumeInstance, CommandKinds.TerminateInstance],
            atTarget.Where(k => k is CommandKinds.RestoreInstance or CommandKinds.ResumeInstance or CommandKinds.TerminateInstance));
        var restored = Assert.Single(await ResultsOfAsync(migration, CommandKinds.RestoreInstance)).GetProperty("output");
        Assert.Equal((1, 1), (restored.GetProperty("interfaces").GetInt32(), restored.GetProperty("interfacesDown").GetInt32()));

        // The source was brought back from its saved state before the state went up (kept for it, then let go).
        var atSource = site.ClientAgent!.JournalEntries().Select(e => e.Kind).ToList();
        Assert.Equal([CommandKinds.SaveInstance, CommandKinds.RevertInstance, CommandKinds.UploadInstance, CommandKinds.RevertInstance],
            atSource.SkipWhile(k => k != CommandKinds.SaveInstance).Where(k => k is CommandKinds.SaveInstance or CommandKinds.RevertInstance or CommandKinds.UploadInstance));

        // Still the source's to move: a cutover after the test goes ahead.
        var cutover = await MigrationCalls.WaitForEndAsync(client, await MigrateAsync(client, "mig-t-1", $$"""{"targetZone":"{{site.ProviderZone}}"}"""), Deadline);
        Assert.True(cutover.GetProperty("status").GetString() == "succeeded", cutover.ToString());
        Assert.Equal(("cutover", false), (cutover.GetProperty("mode").GetString(), cutover.TryGetProperty("cutoverWouldSucceed", out _)));
        await HostDomains.WaitForAsync(client, site.ProviderHost, ["mig-t-1:running"]);
    }

    [Fact]
    public async Task TestMigration_WhoseRestoreFails_SaysACutoverWouldFail_AndWhy_WithNothingLeftAtTheTarget()
    {
        using var client = fixture.Host.CreateClient();

        // The target's state folder is a file, so the download has nowhere to go and the restore fails.
        var unusable = Path.Combine(_folder, "mig-u-state-is-a-file");
        await File.WriteAllTextAsync(unusable, "not a folder");
        var site = await SiteAsync(client, "mig-u", providerStateDirectory: unusable);
        await LaunchAsync(client, "mig-u-1", site.ClientZone);

        var ended = await MigrationCalls.WaitForEndAsync(client, await MigrateAsync(client, "mig-u-1", $$"""{"targetZone":"{{site.ProviderZone}}","mode":"test"}"""), Deadline);

        Assert.True(ended.GetProperty("status").GetString() == "rolledBack", ended.ToString());
        Assert.False(ended.GetProperty("cutoverWouldSucceed").GetBoolean());
        Assert.StartsWith("a cutover would fail: restore at the target failed:", ended.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var instance = await InstanceCalls.GetAsync(client, "mig-u-1");
        Assert.Equal((site.ClientZone, "running"), (instance.GetProperty("zone").GetString(), instance.GetProperty("state").GetString()));
        await HostDomains.WaitForAsync(client, site.ClientHost, ["mig-u-1:running"]);
        await HostDomains.WaitForAsync(client, site.ProviderHost, []);
        Assert.Contains(CommandKinds.TerminateInstance, site.ProviderAgent!.JournalEntries().Select(e => e.Kind));
        Assert.Empty(await BlobsOfAsync(ended.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task Migrate_WhenTheTargetAgentStopsAfterTheUpload_FallsBack_AndTheSourceRunsAgain()
    {
        using var client = fixture.Host.CreateClient();
        var site = await SiteAsync(client, "mig-b");
        await LaunchAsync(client, "mig-b-1", site.ClientZone);

        var migration = await MigrateKillingTargetBeforeRestoreAsync(client, "mig-b-1", $$"""{"targetHost":"{{site.ProviderHost}}"}""", site);
        var ended = await MigrationCalls.WaitForEndAsync(client, migration, Deadline);

        Assert.True(ended.GetProperty("status").GetString() == "rolledBack", ended.ToString());
        Assert.StartsWith("restore at the target failed:", ended.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("fallingBack", ended.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("phase").GetString()));
        var instance = await InstanceCalls.GetAsync(client, "mig-b-1");
        Assert.Equal((site.ClientZone, site.ClientHost, "running"),
            (instance.GetProperty("zone").GetString(), instance.GetProperty("host").GetString(), instance.GetProperty("state").GetString()));
        await HostDomains.WaitForAsync(client, site.ClientHost, ["mig-b-1:running"]);
        Assert.Empty(await BlobsOfAsync(migration));

        // The target's agent back: the restore it missed has expired and is not run, so its host holds nothing.
        _agents.Add(await StartProviderAgentAsync(site));
        await HostDomains.WaitForAsync(client, site.ProviderHost, []);
    }

    [Fact]
    public async Task Migrate_WhenTheStateBlobIsChangedBeforeTheRestore_TheChecksumRefusesIt_AndTheSourceRunsAgain()
    {
        using var client = fixture.Host.CreateClient();
        var site = await SiteAsync(client, "mig-c");
        await LaunchAsync(client, "mig-c-1", site.ClientZone);

        var migration = await MigrateKillingTargetBeforeRestoreAsync(client, "mig-c-1", $$"""{"targetZone":"{{site.ProviderZone}}"}""", site);
        await WaitForPhaseAsync(client, migration, "restore");
        await ChangeOneByteAsync($"{CommandChannelFixture.TenantId}/{migration}/state");
        _agents.Add(await StartProviderAgentAsync(site));
        var ended = await MigrationCalls.WaitForEndAsync(client, migration, Deadline);

        Assert.True(ended.GetProperty("status").GetString() == "rolledBack", ended.ToString());
        Assert.Contains("checksum mismatch", ended.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await HostDomains.WaitForAsync(client, site.ClientHost, ["mig-c-1:running"]);
        await HostDomains.WaitForAsync(client, site.ProviderHost, []);
        Assert.Equal("running", (await InstanceCalls.GetAsync(client, "mig-c-1")).GetProperty("state").GetString());
        Assert.Empty(await BlobsOfAsync(migration));
    }

    [Fact]
    public async Task Migrate_WithAHealthCheck_CommitsWhenThePortAccepts_AndFallsBackWhenItDoesNot()
    {
        using var client = fixture.Host.CreateClient();
        var site = await SiteAsync(client, "mig-e");
        await LaunchAsync(client, "mig-e-1", site.ClientZone);
        await LaunchAsync(client, "mig-e-2", site.ClientZone);

        // The target's agent connects; test-driver guests have no network, so the check names an address of this machine.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var open = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = await MigrationCalls.WaitForEndAsync(client,
            await MigrateAsync(client, "mig-e-1", $$$"""{"targetZone":"{{{site.ProviderZone}}}","healthCheck":{"address":"127.0.0.1","port":{{{open}}},"timeoutSeconds":10}}"""), Deadline);
        Assert.True(accepted.GetProperty("status").GetString() == "succeeded", accepted.ToString());
        Assert.True(listener.Pending(), "the target's agent never connected to the health check's port");

        listener.Stop();
        var refused = await MigrationCalls.WaitForEndAsync(client,
            await MigrateAsync(client, "mig-e-2", $$$"""{"targetZone":"{{{site.ProviderZone}}}","healthCheck":{"address":"127.0.0.1","port":{{{open}}},"timeoutSeconds":2}}"""), Deadline);

        Assert.True(refused.GetProperty("status").GetString() == "rolledBack", refused.ToString());
        var reason = refused.GetProperty("reason").GetString()!;
        Assert.StartsWith("the health check at the target failed:", reason, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{open} accepted no TCP connection in 2 s", reason, StringComparison.Ordinal);
        Assert.Contains("connection refused", reason, StringComparison.Ordinal);
        Assert.Equal((site.ClientHost, "running"), ((await InstanceCalls.GetAsync(client, "mig-e-2")).GetProperty("host").GetString(), (await InstanceCalls.GetAsync(client, "mig-e-2")).GetProperty("state").GetString()));
        await HostDomains.WaitForAsync(client, site.ClientHost, ["mig-e-2:running"]);
        await HostDomains.WaitForAsync(client, site.ProviderHost, ["mig-e-1:running"]);
    }

    [Fact]
    public async Task Migrate_WhenItCannotGo_IsRefusedNamingEveryReason_AndTheSourceIsUntouched()
    {
        using var client = fixture.Host.CreateClient();
        var site = await SiteAsync(client, "mig-d", providerCategories: """["compute"]""", twoProviderHosts: true);
        await LaunchAsync(client, "mig-d-1", site.ClientZone);

        using (var invalid = await client.PostAsync(new Uri("api/v1/instances/mig-d-1/migrations", UriKind.Relative),
            Api.Json($$$"""{"targetZone":"{{{site.ProviderZone}}}","targetHost":"{{{site.ProviderHost}}}","mode":"sideways","retainHours":500,"healthCheck":{"port":0,"address":"no such host!","timeoutSeconds":601}}""")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            var fields = (await Api.ReadJsonAsync(invalid)).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal);
            Assert.Equal(["healthCheck.address", "healthCheck.port", "healthCheck.timeoutSeconds", "mode", "retainHours", "targetZone"], fields);
        }

        var notForMigration = await RefusalAsync(client, "mig-d-1", $$"""{"targetHost":"{{site.ProviderHost}}"}""");
        Assert.Contains($"'{site.ProviderHost}' is not registered for migration", notForMigration, StringComparison.Ordinal);

        // The zone's other host can take it until it is full; then the refusal names both hosts and why.
        await LaunchAsync(client, "mig-d-filler", site.ProviderZone, memoryMiB: 8000, host: site.SecondProviderHost);
        var full = await RefusalAsync(client, "mig-d-1", $$"""{"targetZone":"{{site.ProviderZone}}"}""");
        Assert.Contains($"'{site.ProviderHost}' is not registered for migration", full, StringComparison.Ordinal);
        Assert.Contains($"{site.SecondProviderHost} has 192 MiB", full, StringComparison.Ordinal);

        Assert.Equal("stopped", await InstanceCalls.ActAsync(client, "mig-d-1", "stop", Deadline));
        var stopped = await RefusalAsync(client, "mig-d-1", $$"""{"targetHost":"{{site.SecondProviderHost}}"}""");
        Assert.Contains("only a running instance can be migrated", stopped, StringComparison.Ordinal);

        var instance = await InstanceCalls.GetAsync(client, "mig-d-1");
        Assert.Equal((site.ClientHost, "stopped"), (instance.GetProperty("host").GetString(), instance.GetProperty("state").GetString()));
        using var listed = await client.GetAsync(new Uri("api/v1/migrations?instance=mig-d-1", UriKind.Relative));
        Assert.Empty((await Api.ReadJsonAsync(listed)).GetProperty("items").EnumerateArray());
    }

    /// <summary>
    /// A client zone with one host, a provider zone with one (or two) more, each host its own test-driver node, one
    /// agent per zone. The provider's first host is registered for <paramref name="providerCategories"/>, a second one
    /// for compute and migration.
    /// </summary>
    private async Task<Site> SiteAsync(
        HttpClient client, string prefix, string providerCategories = """["compute","migration"]""", bool twoProviderHosts = false, string? providerStateDirectory = null)
    {
        var (dc, cloud) = ($"{prefix}-dc", $"{prefix}-cloud");
        var dcUri = TestDriverNode.WriteWithImages(Directory.CreateDirectory(Path.Combine(_folder, dc)).FullName);
        var cloudUri = TestDriverNode.WriteWithImages(Directory.CreateDirectory(Path.Combine(_folder, cloud)).FullName);
        var secondUri = twoProviderHosts ? TestDriverNode.WriteWithImages(Directory.CreateDirectory(Path.Combine(_folder, cloud + "-2")).FullName) : null;
        await Api.CreateZoneAsync(client, dc, "client");
        await Api.CreateZoneAsync(client, cloud, "provider");
        var clientAgent = await fixture.StartAgentAsync($"agent-{dc}", dc, new Dictionary<string, string>(TestDriverNode.ImageSettings) { ["RelayAgent__Libvirt__Uris__0"] = dcUri });
        _agents.Add(clientAgent);
        var site = new Site(dc, cloud, string.Empty, string.Empty, cloudUri, secondUri, ClientAgent: clientAgent, ProviderStateDirectory: providerStateDirectory);
        var providerAgent = await StartProviderAgentAsync(site);
        _agents.Add(providerAgent);
        var dcHost = await Api.RegisteredAsync(client, dc, $$"""{"kind":"virtualizationHost","endpoint":"{{dcUri}}","serviceCategories":["compute","migration"]}""");
        var cloudHost = await Api.RegisteredAsync(client, cloud, $$"""{"kind":"virtualizationHost","endpoint":"{{cloudUri}}","serviceCategories":{{providerCategories}}}""");
        var secondHost = secondUri is null ? null
            : await Api.RegisteredAsync(client, cloud, $$"""{"kind":"virtualizationHost","endpoint":"{{secondUri}}","serviceCategories":["compute","migration"]}""");
        return site with { ClientHost = dcHost, ProviderHost = cloudHost, SecondProviderHost = secondHost, ProviderAgent = providerAgent };
    }

    private Task<RelayAgentProcess> StartProviderAgentAsync(Site site)
    {
        var settings = new Dictionary<string, string>(TestDriverNode.ImageSettings) { ["RelayAgent__Libvirt__Uris__0"] = site.ProviderUri };
        if (site.SecondProviderUri is { } second)
        {
            settings["RelayAgent__Libvirt__Uris__1"] = second;
        }

        if (site.ProviderStateDirectory is { } state)
        {
            settings["RelayAgent__Libvirt__StateDirectory"] = state;
        }

        return fixture.StartAgentAsync($"agent-{site.ProviderZone}-{Guid.NewGuid().ToString("N")[..6]}", site.ProviderZone, settings);
    }

    /// <summary>
    /// Starts the migration and kills the target's agent between the preflight and the restore, in an order no timing can
    /// upset: the target is frozen first, so its restore check waits; once that check is in the command log (the source
    /// has described the instance), the source is frozen and the target thawed, so the check is answered and the quiesce
    /// waits at the source; then the target is killed and the source thawed.
    /// </summary>
    private async Task<string> MigrateKillingTargetBeforeRestoreAsync(HttpClient client, string name, string body, Site site)
    {
        await site.ProviderAgent!.FreezeAsync();
        var migration = await MigrateAsync(client, name, body);
        await Eventually.GetAsync<object>(async () => await RestoreCheckSentAsync(site.ProviderZone) ? new object() : null,
            Deadline, $"the restore check of {migration} to be sent");
        await site.ClientAgent!.FreezeAsync();
        await site.ProviderAgent.ThawAsync();
        var phase = await WaitForPhaseAsync(client, migration, "quiesce", "done");
        Assert.True(phase == "quiesce", "the migration ended at the preflight instead of quiescing the source");
        await site.ProviderAgent.KillAsync();
        await site.ClientAgent.ThawAsync();
        return migration;
    }

    private async Task<bool> RestoreCheckSentAsync(string zone)
    {
        var commands = new TableServiceClient(fixture.Azurite.ConnectionString).GetTableClient("Commands");
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CommandChannelFixture.TenantId} and Kind eq {CommandKinds.CheckRestore} and Zone eq {zone}");
        await foreach (var _ in commands.QueryAsync<TableEntity>(filter, maxPerPage: 1))
        {
            return true;
        }

        return false;
    }

    private static async Task<string> WaitForPhaseAsync(HttpClient client, string migration, params string[] phases) =>
        await Eventually.GetAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri($"api/v1/migrations/{migration}", UriKind.Relative));
            var phase = (await Api.ReadJsonAsync(response)).GetProperty("phase").GetString()!;
            return phases.Contains(phase) ? phase : null;
        }, Deadline, $"migration {migration} to reach {string.Join(" or ", phases)}", TimeSpan.FromMilliseconds(20));

    private static async Task LaunchAsync(HttpClient client, string name, string zone, int memoryMiB = 256, string? host = null)
    {
        var placement = host is null ? string.Empty : $$""","placement":{"host":"{{host}}"}""";
        using var launched = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(
            $$"""{"name":"{{name}}","zone":"{{zone}}","size":{"vcpus":1,"memoryMiB":{{memoryMiB}}},"image":"{{TestDriverNode.Image}}"{{placement}}}"""));
        Assert.True(launched.StatusCode == HttpStatusCode.Accepted, await launched.Content.ReadAsStringAsync());
        var launch = await InstanceCalls.WaitAsync(client, launched, Deadline);
        Assert.True(launch.GetProperty("result").GetProperty("state").GetString() == "running", launch.ToString());
    }

    private static async Task<string> MigrateAsync(HttpClient client, string name, string body)
    {
        using var response = await client.PostAsync(new Uri($"api/v1/instances/{name}/migrations", UriKind.Relative), Api.Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var accepted = await Api.ReadJsonAsync(response);
        Assert.Equal($"/api/v1/migrations/{accepted.GetProperty("migrationId").GetString()}", response.Headers.Location?.OriginalString);
        return accepted.GetProperty("migrationId").GetString()!;
    }

    private static async Task<string> RefusalAsync(HttpClient client, string name, string body)
    {
        using var response = await client.PostAsync(new Uri($"api/v1/instances/{name}/migrations", UriKind.Relative), Api.Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
        var problem = await Api.ReadJsonAsync(response);
        Assert.Equal("The instance cannot be migrated.", problem.GetProperty("title").GetString());
        return problem.GetProperty("detail").GetString()!;
    }

    private async Task<List<string>> BlobsOfAsync(string migration)
    {
        var container = new BlobServiceClient(fixture.Azurite.ConnectionString).GetBlobContainerClient("instance-state");
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{CommandChannelFixture.TenantId}/{migration}/", States = BlobStates.Uncommitted }))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    /// <summary>The results of the migration's commands of <paramref name="kind"/>, as the control plane recorded them.</summary>
    private async Task<List<JsonElement>> ResultsOfAsync(string migration, string kind)
    {
        var table = new TableClient(fixture.Azurite.ConnectionString, "CommandResults");
        var results = new List<JsonElement>();
        await foreach (var row in table.QueryAsync<TableEntity>(r => r.PartitionKey == CommandChannelFixture.TenantId))
        {
            var result = JsonDocument.Parse(row.GetString("Result")).RootElement;
            if (result.GetProperty("kind").GetString() == kind
                && result.GetProperty("correlation").GetProperty("instanceId").GetString()!.EndsWith(migration, StringComparison.Ordinal))
            {
                results.Add(result);
            }
        }

        return results;
    }

    /// <summary>Flips one byte of the blob's content, keeping its block ids and metadata (the SHA-256 the upload recorded).</summary>
    private async Task ChangeOneByteAsync(string name)
    {
        var container = new BlobServiceClient(fixture.Azurite.ConnectionString).GetBlobContainerClient("instance-state");
        var blob = container.GetBlockBlobClient(name);
        var content = (await container.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray();
        var metadata = (await blob.GetPropertiesAsync()).Value.Metadata;
        var blocks = (await blob.GetBlockListAsync(BlockListTypes.Committed)).Value.CommittedBlocks.ToList();
        Assert.Single(blocks);
        content[content.Length / 2] ^= 0x01;
        using (var changed = new MemoryStream(content))
        {
            await blob.StageBlockAsync(blocks[0].Name, changed);
        }

        await blob.CommitBlockListAsync([blocks[0].Name], new CommitBlockListOptions { Metadata = metadata });
    }

    private static async Task<string> PoolWithMemberAsync(HttpClient client, string pool, string host, string instance)
    {
        // No metric ever reads below -1 and the member starts inactive: the evaluator leaves it alone.
        using var created = await client.PostAsync(new Uri("api/v1/pools", UriKind.Relative), Api.Json($$$"""
            {"name":"{{{pool}}}","serviceKind":"compute","members":[{"id":"m-1","resource":"{{{host}}}","instance":"{{{instance}}}"}],
             "policy":{"metric":"cpu.load","activateAbove":1000,"activateAfterSeconds":60,"deactivateBelow":-1,"deactivateAfterSeconds":60,"minActive":1,"maxActive":1}}
            """));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return pool;
    }

    private static async Task<string?> MemberResourceAsync(HttpClient client, string pool)
    {
        using var response = await client.GetAsync(new Uri($"api/v1/pools/{pool}", UriKind.Relative));
        return (await Api.ReadJsonAsync(response)).GetProperty("members").EnumerateArray().Single().GetProperty("resource").GetString();
    }

    private sealed record Site(
        string ClientZone, string ProviderZone, string ClientHost, string ProviderHost, string ProviderUri, string? SecondProviderUri,
        string? SecondProviderHost = null, RelayAgentProcess? ProviderAgent = null, RelayAgentProcess? ClientAgent = null, string? ProviderStateDirectory = null);
}

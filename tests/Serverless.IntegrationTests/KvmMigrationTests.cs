using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Testing;
using Xunit.Abstractions;

namespace Serverless.IntegrationTests;

/// <summary>
/// Migration of a real QEMU/KVM guest under libvirtd. The machine has one hypervisor, so the client zone's agent and the
/// provider zone's agent share it, each with its own storage pool: QEMU restores a saved guest only under its own name
/// and UUID, so the restored copy is the same domain, running from the disk volume restored into the target's pool.
/// libvirt itself (virsh) shows where it runs. The source agent is killed with SIGKILL in the middle of the disk's
/// upload and started again: the upload continues from the blocks the blob holds. Skipped, saying why, where the machine
/// has no <c>/dev/kvm</c>.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class KvmMigrationTests(CommandChannelFixture fixture, ITestOutputHelper output)
{
    private const int DiskMiB = 512;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    [SkippableFact]
    public async Task Migrate_ARealKvmGuest_RunsFromTheRestoredDiskInTheTargetPool_AfterItsSourceAgentDiedMidUpload()
    {
        var unavailable = KvmHypervisor.Unavailable();
        Skip.If(unavailable is not null, $"KVM tests skipped: {unavailable}.");

        await using var hypervisor = await KvmHypervisor.StartAsync();
        var folder = RepositoryPaths.NewScratchFolder("kvm-migration");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (sourcePool, targetPool, name) = ($"hcp-src-{suffix}", $"hcp-dst-{suffix}", $"kvm-mig-{suffix}");
        var (sourceFolder, targetFolder, stateFolder) = (Path.Combine(folder, "src"), Path.Combine(folder, "dst"), Path.Combine(folder, "src-state"));
        var agents = new List<RelayAgentProcess>();
        try
        {
            foreach (var (pool, path) in new[] { (sourcePool, sourceFolder), (targetPool, targetFolder) })
            {
                Directory.CreateDirectory(path);
                Assert.Equal(0, await KvmHypervisor.RunAsync("qemu-img", "create", "-q", "-f", "raw", Path.Combine(path, "base.img"), $"{DiskMiB}M"));
                await KvmHypervisor.VirshAsync("pool-create-as", pool, "dir", "--target", path);
            }

            var (dc, cloud) = ($"kvm-dc-{suffix}", $"kvm-cloud-{suffix}");
            using var client = fixture.Host.CreateClient();
            await Api.CreateZoneAsync(client, dc, "client");
            await Api.CreateZoneAsync(client, cloud, "provider");
            var sourceSettings = new Dictionary<string, string>
            {
                ["RelayAgent__Libvirt__Uris__0"] = KvmHypervisor.Uri,
                ["RelayAgent__Libvirt__Images__firmware"] = $"{sourcePool}/base.img",
                ["RelayAgent__Libvirt__StateDirectory"] = stateFolder,
            };
            var source = await fixture.StartAgentAsync($"agent-{dc}", dc, sourceSettings);
            agents.Add(source);
            agents.Add(await fixture.StartAgentAsync($"agent-{cloud}", cloud, new Dictionary<string, string>
            {
                ["RelayAgent__Libvirt__Uris__0"] = KvmHypervisor.Uri,
                ["RelayAgent__Libvirt__Images__firmware"] = $"{targetPool}/base.img",
            }));
            await Api.RegisteredAsync(client, dc, $$"""{"kind":"virtualizationHost","endpoint":"{{KvmHypervisor.Uri}}","serviceCategories":["compute","migration"]}""");
            var targetHost = await Api.RegisteredAsync(client, cloud, $$"""{"kind":"virtualizationHost","endpoint":"{{KvmHypervisor.Uri}}","serviceCategories":["compute","migration"]}""");
            using (var launched = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(
                $$"""{"name":"{{name}}","zone":"{{dc}}","size":{"vcpus":1,"memoryMiB":64},"image":"firmware"}""")))
            {
                Assert.True(launched.StatusCode == HttpStatusCode.Accepted, await launched.Content.ReadAsStringAsync());
                Assert.Equal("running", (await InstanceCalls.WaitAsync(client, launched, Deadline)).GetProperty("result").GetProperty("state").GetString());
            }

            Assert.Contains(Path.Combine(sourceFolder, $"{name}.img"), await KvmHypervisor.VirshAsync("domblklist", name), StringComparison.Ordinal);

            using var migrated = await client.PostAsync(new Uri($"api/v1/instances/{name}/migrations", UriKind.Relative), Api.Json($$"""{"targetZone":"{{cloud}}"}"""));
            Assert.True(migrated.StatusCode == HttpStatusCode.Accepted, await migrated.Content.ReadAsStringAsync());
            var migration = (await Api.ReadJsonAsync(migrated)).GetProperty("migrationId").GetString()!;

            // Mid-way through the disk's blocks, the source agent dies; another starts with the same state folder.
            var staged = await StagedBlocksAsync(client, migration, atLeast: 4);
            await source.KillAsync();
            var stagedAtKill = await CountStagedAsync($"{CommandChannelFixture.TenantId}/{migration}/disk");
            agents.Add(await fixture.StartAgentAsync($"agent-{dc}-again", dc, sourceSettings));

            var ended = await MigrationCalls.WaitForEndAsync(client, migration, Deadline);
            Assert.True(ended.GetProperty("status").GetString() == "succeeded", ended.ToString());

            // libvirt's view: one domain, running, from the disk restored into the target's pool; the source's disk is gone.
            Assert.Equal("running", (await KvmHypervisor.VirshAsync("domstate", name)).Trim());
            Assert.Contains(Path.Combine(targetFolder, $"{name}.img"), await KvmHypervisor.VirshAsync("domblklist", name), StringComparison.Ordinal);
            Assert.Contains(Path.Combine(targetFolder, $"{name}.img"), await KvmHypervisor.VirshAsync("dumpxml", "--inactive", name), StringComparison.Ordinal);
            Assert.DoesNotContain($"{name}.img", await KvmHypervisor.VirshAsync("vol-list", sourcePool), StringComparison.Ordinal);
            Assert.Contains($"{name}.img", await KvmHypervisor.VirshAsync("vol-list", targetPool), StringComparison.Ordinal);
            Assert.Empty(Directory.Exists(stateFolder) ? Directory.GetFiles(stateFolder) : []);
            var instance = await InstanceCalls.GetAsync(client, name);
            Assert.Equal((cloud, targetHost), (instance.GetProperty("zone").GetString(), instance.GetProperty("host").GetString()));

            // The killed agent's upload was reported interrupted, and the next one went on from the blocks the blob held.
            var uploads = await UploadsOfAsync(migration);
            Assert.Contains(uploads, u => u.GetProperty("status").GetString() == "failed"
                && u.GetProperty("error").GetProperty("message").GetString()!.Contains("stopped before it finished", StringComparison.Ordinal));
            var resumed = uploads.Last(u => u.GetProperty("status").GetString() == "succeeded").GetProperty("output");
            Assert.Equal("disk", resumed.GetProperty("artifact").GetString());
            Assert.True(resumed.GetProperty("blocksKept").GetInt32() >= stagedAtKill && stagedAtKill > 0,
                $"the resumed upload kept {resumed.GetProperty("blocksKept").GetInt32()} blocks; {stagedAtKill} were staged when the agent died");
            Assert.Equal(resumed.GetProperty("blocks").GetInt32(), resumed.GetProperty("blocksKept").GetInt32() + resumed.GetProperty("blocksSent").GetInt32());

            output.WriteLine($"state image {ended.GetProperty("bytes").GetProperty("state").GetInt64()} bytes, disk {ended.GetProperty("bytes").GetProperty("disk").GetInt64()} bytes; "
                + $"{staged} blocks staged when the source agent was killed ({stagedAtKill} counted after), {resumed.GetProperty("blocksKept").GetInt32()} kept and "
                + $"{resumed.GetProperty("blocksSent").GetInt32()} sent by the resumed upload of {resumed.GetProperty("blocks").GetInt32()}");
            foreach (var phase in ended.GetProperty("phases").EnumerateArray())
            {
                output.WriteLine($"  {phase.GetProperty("phase").GetString(),-10} {phase.GetProperty("seconds").GetDouble():0.000} s");
            }
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }

            await KvmHypervisor.RemoveAsync(name, sourcePool, targetPool);
            RepositoryPaths.DeleteScratchFolder(folder);
        }
    }

    [SkippableFact]
    public async Task Migrate_FromATestDriverHostToAKvmHost_IsRefusedInPreflight_ForTheDomainType_AndTheSourceKeepsRunning()
    {
        var unavailable = KvmHypervisor.Unavailable();
        Skip.If(unavailable is not null, $"KVM tests skipped: {unavailable}.");

        await using var hypervisor = await KvmHypervisor.StartAsync();
        var folder = RepositoryPaths.NewScratchFolder("kvm-refusal");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (pool, name) = ($"hcp-ref-{suffix}", $"ref-{suffix}");
        var agents = new List<RelayAgentProcess>();
        try
        {
            Assert.Equal(0, await KvmHypervisor.RunAsync("qemu-img", "create", "-q", "-f", "qcow2", Path.Combine(folder, "base.qcow2"), "16M"));
            await KvmHypervisor.VirshAsync("pool-create-as", pool, "dir", "--target", folder);
            var (dc, cloud) = ($"ref-dc-{suffix}", $"ref-cloud-{suffix}");
            using var client = fixture.Host.CreateClient();
            await Api.CreateZoneAsync(client, dc, "client");
            await Api.CreateZoneAsync(client, cloud, "provider");
            var node = TestDriverNode.WriteWithImages(Directory.CreateDirectory(Path.Combine(folder, "node")).FullName);
            agents.Add(await fixture.StartAgentAsync($"agent-{dc}", dc, new Dictionary<string, string>(TestDriverNode.ImageSettings) { ["RelayAgent__Libvirt__Uris__0"] = node }));
            agents.Add(await fixture.StartAgentAsync($"agent-{cloud}", cloud, new Dictionary<string, string>
            {
                ["RelayAgent__Libvirt__Uris__0"] = KvmHypervisor.Uri,
                [$"RelayAgent__Libvirt__Images__{TestDriverNode.Image}"] = $"{pool}/base.qcow2",
            }));
            var sourceHost = await Api.RegisteredAsync(client, dc, $$"""{"kind":"virtualizationHost","endpoint":"{{node}}","serviceCategories":["compute","migration"]}""");
            await Api.RegisteredAsync(client, cloud, $$"""{"kind":"virtualizationHost","endpoint":"{{KvmHypervisor.Uri}}","serviceCategories":["compute","migration"]}""");
            using (var launched = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(
                $$"""{"name":"{{name}}","zone":"{{dc}}","size":{"vcpus":1,"memoryMiB":64},"image":"{{TestDriverNode.Image}}"}""")))
            {
                Assert.True(launched.StatusCode == HttpStatusCode.Accepted, await launched.Content.ReadAsStringAsync());
                Assert.Equal("running", (await InstanceCalls.WaitAsync(client, launched, Deadline)).GetProperty("result").GetProperty("state").GetString());
            }

            using var migrated = await client.PostAsync(new Uri($"api/v1/instances/{name}/migrations", UriKind.Relative), Api.Json($$"""{"targetZone":"{{cloud}}"}"""));
            Assert.True(migrated.StatusCode == HttpStatusCode.Accepted, await migrated.Content.ReadAsStringAsync());
            var migration = (await Api.ReadJsonAsync(migrated)).GetProperty("migrationId").GetString()!;
            var ended = await MigrationCalls.WaitForEndAsync(client, migration, Deadline);

            Assert.True(ended.GetProperty("status").GetString() == "refused", ended.ToString());
            Assert.Contains("offers no 'test' domains", string.Join(" ", ended.GetProperty("refusals").EnumerateArray().Select(r => r.GetString())), StringComparison.Ordinal);
            Assert.Equal(["preflight"], ended.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("phase").GetString()));
            var instance = await InstanceCalls.GetAsync(client, name);
            Assert.Equal((sourceHost, "running"), (instance.GetProperty("host").GetString(), instance.GetProperty("state").GetString()));
            await HostDomains.WaitForAsync(client, sourceHost, [$"{name}:running"]);
            Assert.False(await KvmHypervisor.VirshSucceedsAsync("dominfo", name), "the KVM host has a domain of the instance's name");
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }

            await KvmHypervisor.RemoveAsync(null, pool);
            RepositoryPaths.DeleteScratchFolder(folder);
        }
    }

    /// <summary>Waits until the disk's blob holds <paramref name="atLeast"/> staged blocks; a migration already past its upload fails the test, saying where it is.</summary>
    private async Task<int> StagedBlocksAsync(HttpClient client, string migration, int atLeast) =>
        await Eventually.GetAsync<int?>(async () =>
        {
            if (await CountStagedAsync($"{CommandChannelFixture.TenantId}/{migration}/disk") is var count && count >= atLeast)
            {
                return count;
            }

            using var response = await client.GetAsync(new Uri($"api/v1/migrations/{migration}", UriKind.Relative));
            var body = await Api.ReadJsonAsync(response);
            var phase = body.GetProperty("phase").GetString();
            Assert.True(phase is "preflight" or "quiesce" or "save" or "upload", $"the migration passed its upload before {atLeast} disk blocks were seen staged: {body}");
            return null;
        }, Deadline, $"{atLeast} blocks of migration {migration}'s disk to be staged", TimeSpan.FromMilliseconds(20)) ?? 0;

    private async Task<int> CountStagedAsync(string blob)
    {
        var container = new BlobServiceClient(fixture.Azurite.ConnectionString).GetBlobContainerClient("instance-state");
        var client = Azure.Storage.Blobs.Specialized.SpecializedBlobExtensions.GetBlockBlobClient(container, blob);
        try
        {
            return (await client.GetBlockListAsync(BlockListTypes.Uncommitted)).Value.UncommittedBlocks.Count();
        }
        catch (Azure.RequestFailedException exception) when (exception.Status == 404)
        {
            return 0;
        }
    }

    /// <summary>The results of the migration's upload commands, in the order they started.</summary>
    private async Task<List<JsonElement>> UploadsOfAsync(string migration)
    {
        var table = new Azure.Data.Tables.TableClient(fixture.Azurite.ConnectionString, "CommandResults");
        var results = new List<JsonElement>();
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(r => r.PartitionKey == CommandChannelFixture.TenantId))
        {
            var result = JsonDocument.Parse(row.GetString("Result")).RootElement;
            if (result.GetProperty("kind").GetString() == "instance.upload"
                && result.GetProperty("correlation").GetProperty("instanceId").GetString()!.EndsWith(migration, StringComparison.Ordinal))
            {
                results.Add(result);
            }
        }

        return [.. results.OrderBy(r => r.GetProperty("timings").GetProperty("startedAt").GetDateTimeOffset())];
    }
}

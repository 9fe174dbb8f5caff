using System.Net;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// The instance lifecycle once on a real hypervisor: QEMU/KVM under libvirtd, a <c>dir</c> storage pool holding a
/// qcow2 base volume, a relay agent on <c>qemu:///system</c>. Each step is read back through libvirt itself (virsh), not
/// through the API's records. Skipped, saying why, where the machine has no <c>/dev/kvm</c>.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class KvmInstanceTests(CommandChannelFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task Lifecycle_OnARealKvmGuest_LaunchStopStartRestartSuspendResumeTerminate_AsLibvirtSeesIt()
    {
        var unavailable = KvmHypervisor.Unavailable();
        Skip.If(unavailable is not null, $"KVM tests skipped: {unavailable}.");

        await using var hypervisor = await KvmHypervisor.StartAsync();
        var folder = RepositoryPaths.NewScratchFolder("kvm-pool");
        var pool = "hcp-" + Guid.NewGuid().ToString("N")[..8];
        var name = "kvm-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Assert.Equal(0, await KvmHypervisor.RunAsync("qemu-img", "create", "-q", "-f", "qcow2", Path.Combine(folder, "base.qcow2"), "16M"));
            await KvmHypervisor.VirshAsync("pool-create-as", pool, "dir", "--target", folder);
            await using var agent = await fixture.StartAgentAsync("agent-kvm", "kvm-site", new Dictionary<string, string>
            {
                ["RelayAgent__Libvirt__Uris__0"] = KvmHypervisor.Uri,
                ["RelayAgent__Libvirt__Images__firmware"] = $"{pool}/base.qcow2",
            });
            using var client = fixture.Host.CreateClient();
            var host = await Api.RegisteredAsync(client, "kvm-site", $$"""{"kind":"virtualizationHost","endpoint":"{{KvmHypervisor.Uri}}","serviceCategories":["compute"]}""");

            using (var launched = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(
                $$"""{"name":"{{name}}","zone":"kvm-site","size":{"vcpus":1,"memoryMiB":64},"image":"firmware"}""")))
            {
                Assert.True(launched.StatusCode == HttpStatusCode.Accepted, await launched.Content.ReadAsStringAsync());
                var launch = await WaitAsync(client, launched);
                Assert.True(launch.GetProperty("result").GetProperty("state").GetString() == "running", launch.ToString());
            }

            Assert.Equal("running", await DomainStateAsync(name));
            var xml = await KvmHypervisor.VirshAsync("dumpxml", name);
            Assert.Contains("<domain type='kvm'", xml, StringComparison.Ordinal);
            Assert.Contains($"{folder}/{name}.qcow2", xml, StringComparison.Ordinal);
            Assert.Contains($"{name}.qcow2", await KvmHypervisor.VirshAsync("vol-list", pool), StringComparison.Ordinal);
            Assert.Equal(host, (await GetAsync(client, name)).GetProperty("host").GetString());

            Assert.Equal("stopped", await ActAsync(client, name, "stop"));
            Assert.Equal("shut off", await DomainStateAsync(name));
            Assert.Equal("running", await ActAsync(client, name, "start"));
            Assert.Equal("running", await DomainStateAsync(name));
            Assert.Equal("running", await ActAsync(client, name, "restart"));
            Assert.Equal("suspended", await ActAsync(client, name, "suspend"));
            Assert.Equal("paused", await DomainStateAsync(name));
            Assert.Equal("running", await ActAsync(client, name, "resume"));
            Assert.Equal("running", await DomainStateAsync(name));

            using (var terminated = await client.DeleteAsync(new Uri($"api/v1/instances/{name}", UriKind.Relative)))
            {
                Assert.Equal("terminated", (await WaitAsync(client, terminated)).GetProperty("result").GetProperty("state").GetString());
            }

            Assert.False(await KvmHypervisor.VirshSucceedsAsync("dominfo", name), "the domain is still defined");
            Assert.DoesNotContain($"{name}.qcow2", await KvmHypervisor.VirshAsync("vol-list", pool), StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, $"{name}.qcow2")));

            using var unregistered = await client.DeleteAsync(new Uri($"api/v1/resources/{host}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Accepted, unregistered.StatusCode);
            await WaitAsync(client, unregistered);
        }
        finally
        {
            // Whatever a failure left: the guest, then the pool (its files go with the folder).
            await KvmHypervisor.VirshSucceedsAsync("destroy", name);
            await KvmHypervisor.VirshSucceedsAsync("undefine", name);
            await KvmHypervisor.VirshSucceedsAsync("pool-destroy", pool);
            RepositoryPaths.DeleteScratchFolder(folder);
        }
    }

    /// <summary>libvirt's own word for the domain's state ("running", "shut off", "paused").</summary>
    private static async Task<string> DomainStateAsync(string name) => (await KvmHypervisor.VirshAsync("domstate", name)).Trim();

    private static async Task<string> ActAsync(HttpClient client, string name, string action)
    {
        using var response = await client.PostAsync(new Uri($"api/v1/instances/{name}/{action}", UriKind.Relative), null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{action}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var result = (await WaitAsync(client, response)).GetProperty("result");
        Assert.True(result.GetProperty("reason").ValueKind == JsonValueKind.Null, result.ToString());
        return result.GetProperty("state").GetString()!;
    }

    private static async Task<JsonElement> WaitAsync(HttpClient client, HttpResponseMessage accepted)
    {
        var operationId = (await Api.ReadJsonAsync(accepted)).GetProperty("operationId").GetString()!;
        var operation = await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "succeeded") || Api.HasStatus(o, "failed"), Deadline, "the operation on the KVM guest");
        Assert.True(Api.HasStatus(operation, "succeeded"), operation.ToString());
        return operation;
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string name)
    {
        using var response = await client.GetAsync(new Uri($"api/v1/instances/{name}", UriKind.Relative));
        return await Api.ReadJsonAsync(response);
    }
}

using System.Net;
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
                var launch = await InstanceCalls.WaitAsync(client, launched, Deadline);
                Assert.True(launch.GetProperty("result").GetProperty("state").GetString() == "running", launch.ToString());
            }

            Assert.Equal("running", await DomainStateAsync(name));
            var xml = await KvmHypervisor.VirshAsync("dumpxml", name);
            Assert.Contains("<domain type='kvm'", xml, StringComparison.Ordinal);
            Assert.Contains($"{folder}/{name}.qcow2", xml, StringComparison.Ordinal);
            Assert.Contains($"{name}.qcow2", await KvmHypervisor.VirshAsync("vol-list", pool), StringComparison.Ordinal);
            Assert.Equal(host, (await InstanceCalls.GetAsync(client, name)).GetProperty("host").GetString());

            Assert.Equal("stopped", await InstanceCalls.ActAsync(client, name, "stop", Deadline));
            Assert.Equal("shut off", await DomainStateAsync(name));
            Assert.Equal("running", await InstanceCalls.ActAsync(client, name, "start", Deadline));
            Assert.Equal("running", await DomainStateAsync(name));
            Assert.Equal("running", await InstanceCalls.ActAsync(client, name, "restart", Deadline));
            Assert.Equal("suspended", await InstanceCalls.ActAsync(client, name, "suspend", Deadline));
            Assert.Equal("paused", await DomainStateAsync(name));
            Assert.Equal("running", await InstanceCalls.ActAsync(client, name, "resume", Deadline));
            Assert.Equal("running", await DomainStateAsync(name));

            using (var terminated = await client.DeleteAsync(new Uri($"api/v1/instances/{name}", UriKind.Relative)))
            {
                Assert.Equal("terminated", (await InstanceCalls.WaitAsync(client, terminated, Deadline)).GetProperty("result").GetProperty("state").GetString());
            }

            Assert.False(await KvmHypervisor.VirshSucceedsAsync("dominfo", name), "the domain is still defined");
            Assert.DoesNotContain($"{name}.qcow2", await KvmHypervisor.VirshAsync("vol-list", pool), StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, $"{name}.qcow2")));

            using var unregistered = await client.DeleteAsync(new Uri($"api/v1/resources/{host}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Accepted, unregistered.StatusCode);
            await InstanceCalls.WaitAsync(client, unregistered, Deadline);
        }
        finally
        {
            // Whatever a failure left: the guest, then the pool (its files go with the folder).
            await KvmHypervisor.RemoveAsync(name, pool);
            RepositoryPaths.DeleteScratchFolder(folder);
        }
    }

    /// <summary>libvirt's own word for the domain's state ("running", "shut off", "paused").</summary>
    private static async Task<string> DomainStateAsync(string name) => (await KvmHypervisor.VirshAsync("domstate", name)).Trim();


}

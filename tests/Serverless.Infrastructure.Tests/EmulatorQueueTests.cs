using System.Text.Json.Nodes;
using Serverless.Testing;

namespace Serverless.Infrastructure.Tests;

/// <summary>The emulator's queue template (what the tests, the benches and run.sh use) is the queue the Bicep deploys.</summary>
public sealed class EmulatorQueueTests
{
    [Fact]
    public async Task TheEmulatorsTenantQueue_HasTheDeployedQueuesProperties()
    {
        var template = await CompiledTemplate.LoadAsync();
        var deployed = template.Single("Microsoft.ServiceBus/namespaces/queues")["properties"]!.AsObject();
        var emulated = JsonNode.Parse(TenantQueueConfig.Json("commands-t", "agents", "k", 30))!["UserConfig"]!["Namespaces"]![0]!["Queues"]![0]!["Properties"]!.AsObject();

        // Every property both sides name, in the emulator's PascalCase; the lock duration is a parameter on both.
        var compared = emulated.Where(p => p.Key != "LockDuration").ToList();
        Assert.True(compared.Count >= 6, $"only {compared.Count} properties compared");
        foreach (var (name, value) in compared)
        {
            var deployedName = char.ToLowerInvariant(name[0]) + name[1..];
            Assert.True(deployed.ContainsKey(deployedName), $"the Bicep queue does not set {deployedName}");
            Assert.Equal(value!.ToJsonString(), deployed[deployedName]!.ToJsonString());
        }

        Assert.True(deployed.ContainsKey("lockDuration"));
    }
}

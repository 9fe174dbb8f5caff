using Serverless.ControlPlane.Registration;

namespace Serverless.ControlPlane.Tests;

/// <summary>Registered resources as the tests need them (shared with the Functions app's tests).</summary>
public static class TestResources
{
    /// <summary>A registered compute host with its node info and images, as registration records them.</summary>
    public static void AddHost(InMemoryResourceStores resources, string tenantId, string id, string zone, int cpus, long memoryKiB, string images, DateTimeOffset at) =>
        resources.UpsertAsync(
            new ResourceRegistration(tenantId, id, zone, ResourceKind.VirtualizationHost, $"test:///{id}", null, ["compute"], RegistrationState.Registered, [],
                new Dictionary<string, string>
                {
                    ["libvirt.cpus"] = $"{cpus}",
                    ["libvirt.memoryKiB"] = $"{memoryKiB}",
                    ["libvirt.images"] = images,
                },
                "op-0", at, at),
            CancellationToken.None).GetAwaiter().GetResult();
}

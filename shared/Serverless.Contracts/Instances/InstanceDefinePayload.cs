namespace Serverless.Contracts.Instances;

/// <summary>
/// <c>instance.define</c>: clone the image's base volume for the instance and define its domain, not started. Sent
/// again (a redelivery, a retried launch) it finds its own volume and domain and defines nothing twice.
/// </summary>
/// <param name="Uri">The host's libvirt URI; the agent must list it in its configuration.</param>
/// <param name="Name">The domain's name (the instance's name).</param>
/// <param name="InstanceId">The control plane's id for the instance (<c>tenant/name</c>), kept in the domain's metadata: a
/// domain of that name without it is someone else's and is never redefined.</param>
/// <param name="VirtualCpus">vCPUs.</param>
/// <param name="MemoryMiB">Memory in MiB.</param>
/// <param name="Image">An image name the agent maps to a base volume (<c>RelayAgent:Libvirt:Images</c>).</param>
public sealed record InstanceDefinePayload(string Uri, string Name, string InstanceId, int VirtualCpus, int MemoryMiB, string Image);

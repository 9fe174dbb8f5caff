namespace Serverless.Contracts.Instances;

/// <summary><c>instance.list</c>: report every domain a host holds and its state now, changing nothing.</summary>
/// <param name="Uri">The host's libvirt URI; the agent must list it in its configuration.</param>
public sealed record InstanceListPayload(string Uri);

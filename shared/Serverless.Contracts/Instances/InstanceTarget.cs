namespace Serverless.Contracts.Instances;

/// <summary>An instance on a virtualization host whose metrics an agent reads through libvirt.</summary>
/// <param name="Uri">The host's libvirt URI; the agent must list it in its configuration.</param>
/// <param name="Name">The domain's name.</param>
public sealed record InstanceTarget(string Uri, string Name);

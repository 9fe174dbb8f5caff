namespace Serverless.Contracts.Instances;

/// <summary>An instance (libvirt domain) a virtualization host holds.</summary>
/// <param name="Name">The domain's name, unique on the host.</param>
/// <param name="State">What it is doing.</param>
public sealed record HostInstance(string Name, InstanceState State);

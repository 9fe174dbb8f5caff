namespace Serverless.Contracts.Instances;

/// <summary>Output of <c>instance.list</c>: what the host holds, as libvirt reports it at the moment of the call.</summary>
/// <param name="Uri">The host's libvirt URI.</param>
/// <param name="Instances">Every domain, running or defined.</param>
public sealed record InstanceListOutput(string Uri, IReadOnlyList<HostInstance> Instances);

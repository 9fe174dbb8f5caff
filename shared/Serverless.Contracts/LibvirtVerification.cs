namespace Serverless.Contracts;

/// <summary>
/// Verify a virtualization host: connect to the libvirt URI (which the agent must list in its own configuration) and
/// report the hypervisor, its versions, the host's CPUs and memory, guest architectures and domain types, and whether
/// save/restore and suspend/resume are supported.
/// </summary>
/// <param name="Uri">The libvirt URI, for example <c>qemu:///system</c>.</param>
public sealed record LibvirtVerification(string Uri);

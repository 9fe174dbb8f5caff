namespace Serverless.Libvirt;

/// <summary>What is behind a connection: the driver, the hypervisor's and the library's versions, and what it supports.</summary>
/// <param name="Type">The driver's name: <c>QEMU</c>, <c>Test</c>, <c>ESX</c>, <c>Hyper-V</c>, <c>LXC</c>, ….</param>
/// <param name="Version">The hypervisor's version.</param>
/// <param name="LibraryVersion">The libvirt version the host's side runs.</param>
/// <param name="HostName">The host's name.</param>
/// <param name="SupportsSaveRestore">Whether the driver can save a running domain's state to a file and restore it.</param>
/// <param name="SupportsSuspendResume">Whether the driver can pause and resume a domain.</param>
public sealed record HypervisorInfo(string Type, Version Version, Version LibraryVersion, string HostName, bool SupportsSaveRestore, bool SupportsSuspendResume);

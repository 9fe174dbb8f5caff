namespace Serverless.Libvirt;

/// <summary>The operation does not apply in the domain's current state (for example resuming a running domain).</summary>
public sealed class DomainStateException(string operation, LibvirtErrorCode code, string message) : LibvirtException(operation, code, message);

namespace Serverless.Libvirt;

/// <summary>The hypervisor's driver does not support the operation or the configuration.</summary>
public sealed class LibvirtUnsupportedException(string operation, LibvirtErrorCode code, string message) : LibvirtException(operation, code, message);

namespace Serverless.Libvirt;

/// <summary>The hypervisor behind a URI could not be reached (no driver, unknown host, daemon not running).</summary>
public sealed class LibvirtConnectionException(string operation, LibvirtErrorCode code, string message) : LibvirtException(operation, code, message);

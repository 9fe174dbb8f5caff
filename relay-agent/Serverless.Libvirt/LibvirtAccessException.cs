namespace Serverless.Libvirt;

/// <summary>Authentication failed or the connection may not do this (for example a read-only connection).</summary>
public sealed class LibvirtAccessException(string operation, LibvirtErrorCode code, string message) : LibvirtException(operation, code, message);

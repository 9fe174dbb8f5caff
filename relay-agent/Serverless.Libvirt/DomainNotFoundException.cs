namespace Serverless.Libvirt;

/// <summary>No domain of that name exists on the host.</summary>
public sealed class DomainNotFoundException(string operation, LibvirtErrorCode code, string message) : LibvirtException(operation, code, message);

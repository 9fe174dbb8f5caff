namespace Serverless.Libvirt;

/// <summary>No storage pool or volume of that name exists on the host.</summary>
public sealed class StorageNotFoundException(string operation, LibvirtErrorCode code, string message) : LibvirtException(operation, code, message);

namespace Serverless.Libvirt;

/// <summary>A libvirt call failed; <see cref="Code"/> is libvirt's error number and the message is libvirt's own.</summary>
public class LibvirtException(string operation, LibvirtErrorCode code, string message)
    : Exception($"{operation}: {message}")
{
    /// <summary>The API call that failed, for example <c>virDomainSuspend</c>.</summary>
    public string Operation { get; } = operation;

    public LibvirtErrorCode Code { get; } = code;

    /// <summary>Turns libvirt's last error into the most precise exception type.</summary>
    internal static LibvirtException From(string operation, LibvirtErrorCode code, string message) => code switch
    {
        LibvirtErrorCode.NoConnect or LibvirtErrorCode.UnknownHost or LibvirtErrorCode.Rpc or LibvirtErrorCode.InvalidConnection or LibvirtErrorCode.SystemError
            when operation.StartsWith("virConnectOpen", StringComparison.Ordinal) => new LibvirtConnectionException(operation, code, message),
        LibvirtErrorCode.AuthFailed or LibvirtErrorCode.AuthCancelled or LibvirtErrorCode.AuthUnavailable or LibvirtErrorCode.AccessDenied or LibvirtErrorCode.OperationDenied
            => new LibvirtAccessException(operation, code, message),
        LibvirtErrorCode.NoDomain => new DomainNotFoundException(operation, code, message),
        LibvirtErrorCode.NoStoragePool or LibvirtErrorCode.NoStorageVolume => new StorageNotFoundException(operation, code, message),
        LibvirtErrorCode.NoSupport or LibvirtErrorCode.OperationUnsupported or LibvirtErrorCode.ArgumentUnsupported or LibvirtErrorCode.ConfigUnsupported
            => new LibvirtUnsupportedException(operation, code, message),
        LibvirtErrorCode.OperationInvalid => new DomainStateException(operation, code, message),
        _ => new LibvirtException(operation, code, message),
    };
}

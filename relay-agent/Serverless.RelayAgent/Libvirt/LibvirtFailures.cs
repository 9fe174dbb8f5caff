using Serverless.Contracts.Commands;
using Serverless.Libvirt;
using Serverless.RelayAgent.Handlers;

namespace Serverless.RelayAgent.Libvirt;

/// <summary>libvirt's typed errors as command failures, keeping libvirt's message.</summary>
public static class LibvirtFailures
{
    public static CommandFailure From(LibvirtException exception) => exception switch
    {
        LibvirtConnectionException => new CommandFailure(CommandErrorKind.Unreachable, exception.Message),
        LibvirtAccessException => new CommandFailure(CommandErrorKind.Unauthorized, exception.Message),
        LibvirtUnsupportedException => new CommandFailure(CommandErrorKind.Unsupported, exception.Message),
        _ => new CommandFailure(CommandErrorKind.DeviceError, exception.Message),
    };
}

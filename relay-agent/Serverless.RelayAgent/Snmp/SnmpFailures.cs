using System.Net.Sockets;
using Serverless.Contracts.Commands;
using Serverless.RelayAgent.Handlers;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Snmp;

/// <summary>Maps what the SNMP library reports to command failure categories an orchestration can act on.</summary>
public static class SnmpFailures
{
    public static bool IsSnmpFailure(Exception exception) =>
        exception is SnmpTimeoutException or SnmpUsmException or SnmpErrorException or SnmpDecodeException or SocketException;

    /// <summary>Runs an SNMP exchange with <paramref name="target"/>, turning its failures into command failures.</summary>
    public static async Task<T> TranslateAsync<T>(SnmpTarget target, Func<Task<T>> exchange)
    {
        try
        {
            return await exchange();
        }
        catch (Exception exception) when (IsSnmpFailure(exception))
        {
            throw From(exception, target);
        }
    }

    public static CommandFailure From(Exception exception, SnmpTarget target)
    {
        var address = target.EndPoint.ToString();
        return exception switch
        {
            SnmpTimeoutException when target is CommunityTarget => new CommandFailure(CommandErrorKind.Unreachable,
                $"{exception.Message} An SNMPv1/v2c agent does not answer a wrong community, so check it as well as the address and port."),
            SnmpTimeoutException => new CommandFailure(CommandErrorKind.Unreachable, exception.Message),
            SnmpUsmException => new CommandFailure(CommandErrorKind.Unauthorized, exception.Message),
            SnmpErrorException error => new CommandFailure(CommandErrorKind.DeviceError,
                $"{address} answered {error.Status} (error-index {error.Index}{(error.Binding is null ? string.Empty : $", {error.Binding.Oid}")})."),
            SnmpDecodeException => new CommandFailure(CommandErrorKind.DeviceError, $"{address} sent a malformed answer: {exception.Message}"),
            SocketException => new CommandFailure(CommandErrorKind.Unreachable, $"Cannot send to {address}: {exception.Message}"),
            _ => throw new ArgumentException($"{exception.GetType().Name} is not an SNMP failure.", nameof(exception)),
        };
    }
}

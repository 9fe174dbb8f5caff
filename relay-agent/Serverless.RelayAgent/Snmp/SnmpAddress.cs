using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Serverless.RelayAgent.Snmp;

/// <summary>Addresses written as <c>host</c>, <c>host:port</c> or <c>[ipv6]:port</c>; the port defaults to 161.</summary>
public static class SnmpAddress
{
    public const int DefaultPort = 161;

    /// <summary>Resolves the address; a <see cref="FormatException"/> says what is wrong with it.</summary>
    public static async Task<IPEndPoint> ResolveAsync(string text, CancellationToken cancellationToken = default)
    {
        var (host, port) = Split(text);
        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            return addresses.Length > 0 ? new IPEndPoint(addresses[0], port) : throw new FormatException($"'{host}' resolves to no address.");
        }
        catch (SocketException)
        {
            throw new FormatException($"'{host}' is not an address and does not resolve.");
        }
    }

    private static (string Host, int Port) Split(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("The address is empty.");
        }

        var host = text;
        var port = DefaultPort;
        var bracketed = text.StartsWith('[');
        var colon = text.LastIndexOf(':');
        var hasPort = bracketed ? text.Contains("]:", StringComparison.Ordinal) : colon > 0 && text.IndexOf(':', StringComparison.Ordinal) == colon;
        if (hasPort)
        {
            host = text[..colon];
            port = int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
                ? p
                : throw new FormatException($"'{text}': the port is not a number from 1 to 65535.");
        }

        return (host.Trim('[', ']'), port);
    }
}

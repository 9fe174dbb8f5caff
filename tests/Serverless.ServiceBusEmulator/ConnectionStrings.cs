using System.Net;
using System.Net.Sockets;

namespace Serverless.ServiceBusEmulator;

/// <summary>Connection strings in the form the official emulator documents.</summary>
public static class ConnectionStrings
{
    public static string For(IPAddress address, int port, string keyName, string key, string? entityPath = null)
    {
        var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        var entity = entityPath is null ? string.Empty : $"EntityPath={entityPath};";
        return $"Endpoint=sb://{host}:{port};SharedAccessKeyName={keyName};SharedAccessKey={key};{entity}UseDevelopmentEmulator=true;";
    }
}

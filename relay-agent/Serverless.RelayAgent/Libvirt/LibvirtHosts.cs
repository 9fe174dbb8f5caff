using Microsoft.Extensions.Options;
using Serverless.Contracts.Commands;
using Serverless.Libvirt;
using Serverless.RelayAgent.Handlers;

namespace Serverless.RelayAgent.Libvirt;

/// <summary>
/// One libvirt connection per configured URI for the agent's lifetime (the test driver's state lives in its
/// connection), opened on first use and reopened when it has died.
/// </summary>
public sealed class LibvirtHosts(IOptions<LibvirtAgentOptions> options) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LibvirtConnection> _connections = new(StringComparer.Ordinal);

    /// <summary>The agent's libvirt configuration: URIs, images, network.</summary>
    public LibvirtAgentOptions Options => options.Value;

    public bool IsAllowed(string uri) => options.Value.Uris.Contains(uri, StringComparer.Ordinal);

    /// <summary>
    /// The connection a command names: a missing URI is an invalid payload, one the configuration does not list is
    /// refused (the agent never connects where its operator did not say), one that cannot be opened fails as libvirt says.
    /// </summary>
    public LibvirtConnection ForCommand(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw CommandPayload.Invalid("uri: required.");
        }

        if (!IsAllowed(uri))
        {
            throw new CommandFailure(CommandErrorKind.Unauthorized,
                $"this agent's configuration does not list '{uri}'; add it to {LibvirtAgentOptions.SectionName}:Uris on the agent host.");
        }

        try
        {
            return Get(uri);
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }
    }

    /// <summary>The connection to <paramref name="uri"/>; throws <see cref="LibvirtException"/> when it cannot be opened.</summary>
    public LibvirtConnection Get(string uri)
    {
        if (!IsAllowed(uri))
        {
            throw new InvalidOperationException($"'{uri}' is not in {LibvirtAgentOptions.SectionName}:Uris.");
        }

        lock (_gate)
        {
            if (_connections.TryGetValue(uri, out var existing))
            {
                if (existing.IsAlive)
                {
                    return existing;
                }

                existing.Dispose();
                _connections.Remove(uri);
            }

            var connection = LibvirtConnection.Open(uri);
            _connections[uri] = connection;
            return connection;
        }
    }

    /// <summary>Closes the connection to <paramref name="uri"/> if one is open; says whether there was one.</summary>
    public bool Release(string uri)
    {
        lock (_gate)
        {
            if (!_connections.Remove(uri, out var connection))
            {
                return false;
            }

            connection.Dispose();
            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var connection in _connections.Values)
            {
                connection.Dispose();
            }

            _connections.Clear();
        }
    }
}

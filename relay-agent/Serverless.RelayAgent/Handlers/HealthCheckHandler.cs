using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Migrations;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>instance.healthCheck</c>: a migrated instance passes when its TCP port accepts a connection from the target's agent.
/// Without an address in the payload the instance's own is used, as its host knows it (the network's DHCP lease, else
/// the ARP table; IPv4 first). Refused or unanswered connections are tried again every second until the timeout.
/// </summary>
public sealed class HealthCheckHandler(LibvirtHosts hosts, ILogger<HealthCheckHandler> logger) : ICommandHandler
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(3);

    public string Kind => CommandKinds.CheckInstanceHealth;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.HealthCheckPayload);
        if (string.IsNullOrEmpty(payload.Name))
        {
            throw CommandPayload.Invalid("name: required.");
        }

        if (payload.Port is < 1 or > 65535)
        {
            throw CommandPayload.Invalid("port: must be 1 to 65535.");
        }

        if (payload.TimeoutSeconds is < 1 or > 600)
        {
            throw CommandPayload.Invalid("timeoutSeconds: must be 1 to 600.");
        }

        var address = payload.Address is { Length: > 0 } given ? given : await InstanceAddressAsync(payload, cancellationToken);
        var watch = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(payload.TimeoutSeconds);
        var attempts = 0;
        var reason = string.Empty;
        while (true)
        {
            attempts++;
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(AttemptTimeout < deadline - watch.Elapsed ? AttemptTimeout : deadline - watch.Elapsed);
            try
            {
                using var client = new TcpClient(address.Contains(':', StringComparison.Ordinal) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
                await client.ConnectAsync(address, payload.Port, attempt.Token);
                Logs.HealthCheckPassed(logger, payload.Name, address, payload.Port, attempts, watch.ElapsedMilliseconds);
                return CommandPayload.Output(new HealthCheckOutput(address, payload.Port, attempts, watch.ElapsedMilliseconds), CommandPayload.Contracts.HealthCheckOutput);
            }
            catch (SocketException exception)
            {
                reason = exception.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData => $"no such host '{address}'",
                    _ => exception.Message,
                };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                reason = "no answer";
            }

            if (watch.Elapsed + Pause >= deadline)
            {
                Logs.HealthCheckFailed(logger, payload.Name, address, payload.Port, attempts, reason);
                throw new CommandFailure(CommandErrorKind.Unreachable,
                    $"{address}:{payload.Port} accepted no TCP connection in {payload.TimeoutSeconds} s ({attempts} attempts; last: {reason}).");
            }

            await Task.Delay(Pause, cancellationToken);
        }
    }

    private async Task<string> InstanceAddressAsync(HealthCheckPayload payload, CancellationToken cancellationToken)
    {
        var connection = hosts.ForCommand(payload.Uri);
        try
        {
            var found = await Task.Run(() => Addresses(connection, payload.Name), cancellationToken);
            return found.OrderBy(a => a.Address.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).Select(a => a.Address.ToString()).FirstOrDefault()
                ?? throw new CommandFailure(CommandErrorKind.DeviceError,
                    $"the host knows no address of '{payload.Name}' (no DHCP lease or ARP entry for its NICs); give healthCheck.address.");
        }
        catch (DomainNotFoundException exception)
        {
            throw new CommandFailure(CommandErrorKind.DeviceError, $"the host has no instance named '{payload.Name}': {exception.Message}");
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }
    }

    private static IReadOnlyList<DomainAddress> Addresses(LibvirtConnection connection, string name)
    {
        var leased = connection.GetDomainAddresses(name, DomainAddressSource.Lease);
        return leased.Count > 0 ? leased : connection.GetDomainAddresses(name, DomainAddressSource.Arp);
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Migrations;
using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Libvirt;

namespace Serverless.RelayAgent.Tests;

/// <summary><c>instance.healthCheck</c> against real sockets on this machine and libvirt's test driver for the instance's address.</summary>
public sealed class HealthCheckHandlerTests : IDisposable
{
    private const string Host = "test:///default";
    private readonly LibvirtHosts _hosts = new(Microsoft.Extensions.Options.Options.Create(new LibvirtAgentOptions { Uris = [Host] }));

    public void Dispose() => _hosts.Dispose();

    [Fact]
    public async Task APortThatAccepts_Passes_NamingWhereAndAfterHowManyTries()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var output = (await RunAsync(new HealthCheckPayload(Host, "test", "127.0.0.1", port, 5))).Deserialize(ContractsJsonContext.Default.HealthCheckOutput)!;

        Assert.Equal(("127.0.0.1", port, 1), (output.Address, output.Port, output.Attempts));
        Assert.True(listener.Pending());
    }

    [Fact]
    public async Task APortThatRefuses_IsTriedEverySecond_UntilTheTimeout_ThenFailsWithTheLastReason()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var failure = await Assert.ThrowsAsync<CommandFailure>(() => RunAsync(new HealthCheckPayload(Host, "test", "127.0.0.1", port, 3)));

        Assert.Equal(CommandErrorKind.Unreachable, failure.Kind);
        Assert.Matches($"^127\\.0\\.0\\.1:{port} accepted no TCP connection in 3 s \\([2-4] attempts; last: connection refused\\)\\.$", failure.Message);
    }

    [Fact]
    public async Task WithoutAnAddress_TheInstancesOwnIsTaken_FromTheHost()
    {
        // The test driver leases 192.168.122.3 to its domain 'test'. Whether anything on this machine's network answers
        // there is not this test's business: either way the check went to that address.
        string used;
        try
        {
            used = (await RunAsync(new HealthCheckPayload(Host, "test", null, 9, 1))).Deserialize(ContractsJsonContext.Default.HealthCheckOutput)!.Address;
        }
        catch (CommandFailure failure)
        {
            used = failure.Message.Split(':')[0];
        }

        Assert.Equal("192.168.122.3", used);
        var unknown = await Assert.ThrowsAsync<CommandFailure>(() => RunAsync(new HealthCheckPayload(Host, "no-such-domain", null, 9, 1)));
        Assert.StartsWith("the host has no instance named 'no-such-domain'", unknown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 5, "port: must be 1 to 65535.")]
    [InlineData(22, 601, "timeoutSeconds: must be 1 to 600.")]
    public async Task BadFields_AreInvalidPayloads(int port, int timeoutSeconds, string message)
    {
        var failure = await Assert.ThrowsAsync<CommandFailure>(() => RunAsync(new HealthCheckPayload(Host, "test", null, port, timeoutSeconds)));

        Assert.Equal((CommandErrorKind.InvalidPayload, message), (failure.Kind, failure.Message));
    }

    private Task<JsonElement> RunAsync(HealthCheckPayload payload) =>
        new HealthCheckHandler(_hosts, NullLogger<HealthCheckHandler>.Instance).ExecuteAsync(
            SnmpHandlerFixture.Envelope(CommandKinds.CheckInstanceHealth, JsonSerializer.Serialize(payload, ContractsJsonContext.Default.HealthCheckPayload)), CancellationToken.None);
}

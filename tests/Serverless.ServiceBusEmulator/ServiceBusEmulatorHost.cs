using System.Net;
using System.Net.Sockets;
using Amqp;
using Amqp.Listener;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.ServiceBusEmulator.Amqp;
using Serverless.ServiceBusEmulator.Configuration;
using Serverless.ServiceBusEmulator.Security;

namespace Serverless.ServiceBusEmulator;

/// <summary>
/// A Service Bus namespace in memory, served over AMQP 1.0 on a loopback port to clients whose connection string says
/// <c>UseDevelopmentEmulator=true</c>. Start it in process (tests) or through <c>Program</c> (its own process).
/// </summary>
public sealed class ServiceBusEmulatorHost : IAsyncDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(50);
    private readonly ContainerHost _host;
    private readonly EntityRegistry _entities;
    private readonly LinkProcessor _links;
    private readonly ITimer _sweeper;
    private readonly ILogger _logger;

    private ServiceBusEmulatorHost(EmulatorConfig config, int port, TimeProvider time, ILoggerFactory loggerFactory)
    {
        Config = config;
        Port = port;
        _logger = loggerFactory.CreateLogger("Serverless.ServiceBusEmulator");
        _entities = new EntityRegistry(config, time);
        var connections = new ConnectionRegistry(_logger);
        _links = new LinkProcessor(_entities, connections, time, _logger);

        _host = new ContainerHost(new Address($"amqp://127.0.0.1:{port}"));
        var listener = _host.Listeners[0];
        listener.SASL.EnableMechanism(CbsSaslProfile.Name, new CbsSaslProfile());
        listener.AMQP.MaxSessionsPerConnection = 4096;
        listener.AMQP.MaxFrameSize = 65536;
        listener.HandlerFactory = _ => connections.CreateHandler();
        _host.RegisterRequestProcessor("$cbs", new CbsProcessor(new SharedAccessSignatureValidator(config, time), connections, _logger));
        foreach (var queue in _entities.All)
        {
            _host.RegisterRequestProcessor($"{queue.Path}/$management", new ManagementProcessor(queue, connections, time, _logger));
            queue.Changed += () => OnQueueChanged(queue);
        }

        _host.RegisterLinkProcessor(_links);
        _host.Open();
        _sweeper = time.CreateTimer(_ => Sweep(), null, SweepInterval, SweepInterval);
    }

    public EmulatorConfig Config { get; }

    public int Port { get; }

    /// <summary>Starts listening on 127.0.0.1:<paramref name="port"/>; it accepts connections when this returns.</summary>
    public static ServiceBusEmulatorHost Start(EmulatorConfig config, int port, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        try
        {
            return new ServiceBusEmulatorHost(config, port, time ?? TimeProvider.System, loggerFactory ?? NullLoggerFactory.Instance);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new InvalidOperationException($"port {port} on 127.0.0.1 is already in use", exception);
        }
    }

    /// <summary>A connection string for a key of the namespace or of <paramref name="entityPath"/>'s queue.</summary>
    public string ConnectionString(string keyName, string key, string? entityPath = null) =>
        ConnectionStrings.For(IPAddress.Loopback, Port, keyName, key, entityPath);

    /// <summary>The connection string of the official emulator's well-known development key.</summary>
    public string DevelopmentConnectionString => ConnectionString(EmulatorConfig.DevelopmentPolicy.KeyName, EmulatorConfig.DevelopmentPolicy.Key);

    /// <summary>Messages currently held by a queue or, with <paramref name="deadLetter"/>, by its dead-letter queue.</summary>
    public int CountMessages(string queue, bool deadLetter = false) =>
        _entities.TryGet(queue, deadLetter, out var found) ? found.Count : throw new ArgumentException($"no queue '{queue}'", nameof(queue));

    public ValueTask DisposeAsync()
    {
        _sweeper.Dispose();
        _host.Close();
        return ValueTask.CompletedTask;
    }

    private void OnQueueChanged(Broker.MessageQueue queue)
    {
        if (queue.RequiresSession)
        {
            _links.TrySatisfyWaiters(queue);
        }

        foreach (var receiver in _entities.Receivers(queue))
        {
            receiver.Pump();
        }
    }

    private void Sweep()
    {
        try
        {
            foreach (var queue in _entities.All)
            {
                foreach (var owner in queue.Sweep())
                {
                    if (owner is OutgoingEndpoint endpoint)
                    {
                        Logs.SessionLockExpired(_logger, endpoint.Connection.Number, endpoint.LinkName, endpoint.SessionId);
                        endpoint.LoseSessionLock();
                    }
                }

                _links.ExpireWaiters(queue);
            }
        }
        catch (Exception exception) when (exception is AmqpException or ObjectDisposedException or InvalidOperationException)
        {
            Logs.SweepFailed(_logger, exception);
        }
    }
}

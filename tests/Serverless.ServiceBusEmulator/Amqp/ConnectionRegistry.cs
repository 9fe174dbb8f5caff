using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Amqp;
using Amqp.Handler;
using EventId = Amqp.Handler.EventId;
using Amqp.Listener;
using Microsoft.Extensions.Logging;
using Serverless.ServiceBusEmulator.Configuration;
using Serverless.ServiceBusEmulator.Security;

namespace Serverless.ServiceBusEmulator.Amqp;

/// <summary>What the broker knows about one client connection: the tokens it presented and its receiver links by name.</summary>
internal sealed class ConnectionState(int number)
{
    private readonly ConcurrentDictionary<string, TokenValidation> _claims = new(StringComparer.OrdinalIgnoreCase);

    public int Number { get; } = number;

    public ConcurrentDictionary<string, OutgoingEndpoint> Receivers { get; } = new(StringComparer.Ordinal);

    public void AddClaim(TokenValidation validation) => _claims[validation.Entity ?? string.Empty] = validation;

    public bool Allows(string entity, AccessRights needed, DateTimeOffset now)
    {
        return Covers(entity) || Covers(string.Empty);

        bool Covers(string key) => _claims.TryGetValue(key, out var claim) && claim.ExpiresAt > now && (claim.Rights & needed) == needed;
    }
}

/// <summary>
/// Per-connection state and the protocol hooks AMQPNetLite offers through <see cref="IHandler"/>: 16-byte lock-token
/// delivery tags, and answering a pending attach when the client gives up on it (otherwise the library closes the whole
/// connection).
/// </summary>
internal sealed class ConnectionRegistry(ILogger logger)
{
    private static readonly ConditionalWeakTable<Message, byte[]> DeliveryTags = [];
    private readonly ConditionalWeakTable<Connection, ConnectionState> _states = [];
    private readonly ConcurrentDictionary<Link, PendingAttach> _pendingAttaches = new();
    private int _connections;

    public static void SetDeliveryTag(Message message, Guid lockToken) => DeliveryTags.AddOrUpdate(message, lockToken.ToByteArray());

    public ConnectionState StateOf(Connection connection) => _states.GetValue(connection, c =>
    {
        var state = new ConnectionState(Interlocked.Increment(ref _connections));
        Logs.ConnectionOpened(logger, state.Number);
        c.AddClosedCallback((_, error) => Logs.ConnectionClosed(logger, state.Number, error?.Description));
        return state;
    });

    public IHandler CreateHandler() => new Handler(this);

    public void AddPending(PendingAttach pending) => _pendingAttaches[pending.Context.Link] = pending;

    public void RemovePending(PendingAttach pending) => _pendingAttaches.TryRemove(pending.Context.Link, out _);

    private sealed class Handler(ConnectionRegistry registry) : IHandler
    {
        public bool CanHandle(EventId id) => id is EventId.SendDelivery or EventId.LinkRemoteClose or EventId.ConnectionRemoteOpen;

        public void Handle(Event protocolEvent)
        {
            switch (protocolEvent.Id)
            {
                case EventId.SendDelivery when protocolEvent.Context is IDelivery delivery && delivery.Message is not null
                    && DeliveryTags.TryGetValue(delivery.Message, out var tag):
                    delivery.Tag = tag;
                    break;
                case EventId.LinkRemoteClose when protocolEvent.Link is not null && registry._pendingAttaches.TryRemove(protocolEvent.Link, out var pending):
                    pending.Fail(AmqpErrors.For(Broker.BrokerError.Timeout, "The client detached before a session became available."));
                    break;
                case EventId.ConnectionRemoteOpen when protocolEvent.Connection is not null:
                    registry.StateOf(protocolEvent.Connection);
                    break;
            }
        }
    }
}

/// <summary>An accept-next-session attach waiting for a session; exactly one of the broker and the client's detach answers it.</summary>
internal sealed class PendingAttach(AttachContext context, OutgoingEndpoint endpoint, DateTime answerBy)
{
    private int _answered;

    public AttachContext Context { get; } = context;

    public OutgoingEndpoint Endpoint { get; } = endpoint;

    public DateTime AnswerBy { get; } = answerBy;

    public bool IsAnswered => Volatile.Read(ref _answered) == 1;

    public bool TryClaim() => Interlocked.Exchange(ref _answered, 1) == 0;

    public void Fail(global::Amqp.Framing.Error error)
    {
        if (TryClaim())
        {
            Context.Complete(error);
        }
    }
}

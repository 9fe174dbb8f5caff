using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;
using Microsoft.Extensions.Logging;
using Serverless.ServiceBusEmulator.Broker;

namespace Serverless.ServiceBusEmulator.Amqp;

/// <summary>
/// The broker's end of a client's receiver link. It is the lock owner in <see cref="MessageQueue"/>; it sends what the
/// link's credit allows (FIFO, one sender at a time), answers drain, and settles the client's dispositions.
/// </summary>
internal sealed class OutgoingEndpoint(MessageQueue queue, bool peekLock, ConnectionState connection, string linkName, ILogger logger) : LinkEndpoint
{
    private readonly Lock _sendGate = new();
    private readonly Dictionary<Message, Guid> _unsettled = new(ReferenceEqualityComparer.Instance);
    private ListenerLink? _link;
    private int _credit;
    private bool _closed;

    public event Action<OutgoingEndpoint>? Closed;

    public MessageQueue Queue { get; } = queue;

    public string? SessionId { get; private set; }

    public ConnectionState Connection { get; } = connection;

    public string LinkName { get; } = linkName;

    public void Bind(ListenerLink listenerLink, string? sessionId)
    {
        _link = listenerLink;
        SessionId = sessionId;
    }

    public override void OnFlow(FlowContext flowContext)
    {
        lock (_sendGate)
        {
            // The library zeroes its own credit when a flow adds none; mirror it so we never send without credit.
            _credit = flowContext.Messages > 0 ? _credit + flowContext.Messages : 0;
        }

        Pump();
        lock (_sendGate)
        {
            if (flowContext.Link.IsDraining)
            {
                flowContext.Link.CompleteDrain();
                _credit = 0;
            }
        }
    }

    /// <summary>Sends available messages while the link has credit.</summary>
    public void Pump()
    {
        lock (_sendGate)
        {
            if (_closed || _link is null || _credit <= 0)
            {
                return;
            }

            var deliveries = new List<Delivery>();
            if (Queue.Take(this, SessionId, _credit, peekLock, deliveries) != BrokerError.None)
            {
                return;
            }

            foreach (var delivery in deliveries)
            {
                var message = MessageFactory.ForDelivery(delivery, peekLock);
                if (peekLock)
                {
                    _unsettled[message] = delivery.LockToken;
                    ConnectionRegistry.SetDeliveryTag(message, delivery.LockToken);
                }

                _credit--;
                _link.SendMessage(message);
            }
        }
    }

    public override void OnDisposition(DispositionContext dispositionContext)
    {
        Guid lockToken;
        lock (_sendGate)
        {
            if (!_unsettled.Remove(dispositionContext.Message, out lockToken))
            {
                return;
            }
        }

        var state = dispositionContext.DeliveryState;
        BrokerError error;
        try
        {
            error = Settle(lockToken, state);
        }
        catch (Exception exception) when (exception is InvalidCastException or AmqpException or ArgumentException)
        {
            Logs.SettlementFailed(logger, exception, Connection.Number, LinkName);
            dispositionContext.Link.DisposeMessage(dispositionContext.Message, new Rejected { Error = new Error(ErrorCode.InternalError) { Description = exception.Message } }, true);
            return;
        }

        // Only a settled answer releases the client's wait. The client reads any rejected answer as a failure, so a
        // successful dead-letter is answered accepted; a failure carries the error the client maps.
        DeliveryState answer = error switch
        {
            BrokerError.None => state switch
            {
                Modified modified => new Modified { UndeliverableHere = modified.UndeliverableHere },
                _ => new Accepted(),
            },
            _ => new Rejected { Error = AmqpErrors.For(error, $"The lock on message {lockToken} is no longer held.") },
        };
        dispositionContext.Link.DisposeMessage(dispositionContext.Message, answer, true);
    }

    public override void OnLinkClosed(ListenerLink listenerLink, Error error)
    {
        lock (_sendGate)
        {
            _closed = true;
            _unsettled.Clear();
        }

        Connection.Receivers.TryRemove(new KeyValuePair<string, OutgoingEndpoint>(LinkName, this));
        Queue.Release(this, lockLost: error is not null);
        Closed?.Invoke(this);
    }

    /// <summary>The session lock expired: the client learns it as a detach with <c>session-lock-lost</c>.</summary>
    public void LoseSessionLock()
    {
        var current = _link;
        if (current is null)
        {
            return;
        }

        _ = Task.Run(() => current.Close(TimeSpan.Zero, AmqpErrors.For(BrokerError.SessionLockLost, $"The session lock on '{SessionId}' expired.")));
    }

    private BrokerError Settle(Guid lockToken, DeliveryState state) => state switch
    {
        Accepted => Queue.Settle(this, lockToken, Settlement.Complete, null, null, null),
        Rejected rejected => DeadLetter(lockToken, rejected.Error),
        Modified { UndeliverableHere: true } modified => Queue.Settle(this, lockToken, Settlement.Defer, Properties(modified.MessageAnnotations), null, null),
        Modified modified => Queue.Settle(this, lockToken, Settlement.Abandon, Properties(modified.MessageAnnotations), null, null),
        _ => Queue.Settle(this, lockToken, Settlement.Abandon, null, null, null),
    };

    private BrokerError DeadLetter(Guid lockToken, Error? error)
    {
        var info = error?.Info;
        var reason = info?[new Symbol(AmqpNames.DeadLetterReason)] as string;
        var description = info?[new Symbol(AmqpNames.DeadLetterErrorDescription)] as string;
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (info is not null)
        {
            foreach (var key in info.Keys)
            {
                var name = key.ToString()!;
                if (name is not AmqpNames.DeadLetterReason and not AmqpNames.DeadLetterErrorDescription)
                {
                    properties[name] = info[key];
                }
            }
        }

        return Queue.Settle(this, lockToken, Settlement.DeadLetter, properties, reason, description);
    }

    private static Dictionary<string, object?>? Properties(Fields? annotations)
    {
        if (annotations is null || annotations.Count == 0)
        {
            return null;
        }

        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in annotations.Keys)
        {
            properties[key.ToString()!] = annotations[key];
        }

        return properties;
    }
}

/// <summary>Builds the AMQP message a receiver gets: the stored message plus the annotations the client reads.</summary>
internal static class MessageFactory
{
    public static Message ForDelivery(Delivery delivery, bool withLock)
    {
        var stored = delivery.Message;
        var message = Decode(stored.Encoded);
        message.Header ??= new Header();
        message.Header.DeliveryCount = (uint)delivery.DeliveryCount;
        Annotate(message, stored);
        if (withLock)
        {
            message.MessageAnnotations[AmqpNames.LockedUntil] = delivery.LockedUntil;
        }

        return message;
    }

    public static Message ForPeek(StoredMessage stored) =>
        ForDelivery(new Delivery(stored, Guid.Empty, default, stored.DeliveryCount), withLock: false);

    private static void Annotate(Message message, StoredMessage stored)
    {
        message.MessageAnnotations ??= new MessageAnnotations();
        message.MessageAnnotations[AmqpNames.SequenceNumber] = stored.SequenceNumber;
        message.MessageAnnotations[AmqpNames.EnqueuedTime] = stored.EnqueuedAt;
        message.MessageAnnotations[AmqpNames.MessageState] = stored.State;
        if (stored.ScheduledFor is { } scheduledFor)
        {
            message.MessageAnnotations[AmqpNames.ScheduledEnqueueTime] = scheduledFor;
        }

        if (stored.DeadLetterSource is not null)
        {
            message.MessageAnnotations[AmqpNames.DeadLetterSource] = stored.DeadLetterSource;
        }

        if (stored.ModifiedProperties is null && stored.DeadLetterReason is null && stored.DeadLetterDescription is null)
        {
            return;
        }

        message.ApplicationProperties ??= new ApplicationProperties();
        foreach (var (key, value) in stored.ModifiedProperties ?? [])
        {
            message.ApplicationProperties[key] = value;
        }

        if (stored.DeadLetterReason is not null)
        {
            message.ApplicationProperties[AmqpNames.DeadLetterReason] = stored.DeadLetterReason;
        }

        if (stored.DeadLetterDescription is not null)
        {
            message.ApplicationProperties[AmqpNames.DeadLetterErrorDescription] = stored.DeadLetterDescription;
        }
    }

    public static Message Decode(byte[] encoded) => Message.Decode(new ByteBuffer(encoded, 0, encoded.Length, encoded.Length));

    public static byte[] Encode(Message message)
    {
        var buffer = message.Encode();
        return buffer.Buffer.AsSpan(buffer.Offset, buffer.Length).ToArray();
    }
}

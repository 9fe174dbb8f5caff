using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Serverless.ServiceBusEmulator.Broker;

namespace Serverless.ServiceBusEmulator.Amqp;

/// <summary>The broker's end of a client's sender link: stores single messages and the client's batch format.</summary>
internal sealed class IncomingEndpoint(MessageQueue queue) : LinkEndpoint
{
    public override void OnMessage(MessageContext messageContext)
    {
        List<IncomingMessage> batch;
        try
        {
            batch = ToIncoming(messageContext.Message);
        }
        catch (AmqpException exception)
        {
            messageContext.Complete(exception.Error);
            return;
        }

        var error = queue.Enqueue(batch);
        if (error == BrokerError.None)
        {
            messageContext.Complete();
        }
        else
        {
            messageContext.Complete(AmqpErrors.For(error, Describe(error)));
        }
    }

    public override void OnFlow(FlowContext flowContext)
    {
    }

    public override void OnDisposition(DispositionContext dispositionContext)
    {
    }

    internal static List<IncomingMessage> ToIncoming(Message message)
    {
        if (message.Format != AmqpNames.BatchFormat)
        {
            var buffer = message.Encode();
            return [ToIncoming(message, buffer.Buffer.AsSpan(buffer.Offset, buffer.Length).ToArray())];
        }

        var sections = message.BodySection switch
        {
            Data data => [data],
            DataList list => Enumerable.Range(0, list.Count).Select(i => list[i]).ToArray(),
            _ => throw new AmqpException(ErrorCode.DecodeError, "a batch must carry data sections"),
        };
        return sections.Select(section =>
        {
            var bytes = section.Binary;
            return ToIncoming(Message.Decode(new ByteBuffer(bytes, 0, bytes.Length, bytes.Length)), bytes);
        }).ToList();
    }

    private static IncomingMessage ToIncoming(Message message, byte[] encoded)
    {
        TimeSpan? ttl = message.Header is { Ttl: > 0 } header ? TimeSpan.FromMilliseconds(header.Ttl) : null;
        DateTime? scheduledFor = message.MessageAnnotations?[AmqpNames.ScheduledEnqueueTime] is DateTime at ? at.ToUniversalTime() : null;
        return new IncomingMessage(encoded, message.Properties?.MessageId?.ToString(), message.Properties?.GroupId, ttl, scheduledFor);
    }

    private string Describe(BrokerError error) => error switch
    {
        BrokerError.NotAllowed => $"Queue '{queue.Path}' requires sessions; the SessionId was not set on a message.",
        BrokerError.QuotaExceeded => $"Queue '{queue.Path}' is full ({queue.Settings.MaxSizeInBytes} bytes).",
        BrokerError.MessageSizeExceeded => $"A message is larger than the {queue.Settings.MaxMessageSizeInBytes} bytes queue '{queue.Path}' accepts.",
        _ => error.ToString(),
    };
}

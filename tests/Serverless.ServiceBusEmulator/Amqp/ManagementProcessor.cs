using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;
using Microsoft.Extensions.Logging;
using Serverless.ServiceBusEmulator.Broker;
using Serverless.ServiceBusEmulator.Configuration;

namespace Serverless.ServiceBusEmulator.Amqp;

/// <summary>
/// <c>{queue}/$management</c>: lock renewal, session state, peek, deferral, scheduling and settlement by lock token.
/// Answers carry <c>statusCode</c> (int), <c>statusDescription</c> and, on error, <c>errorCondition</c> as a symbol,
/// exactly as the client casts them. The receiver a request acts for is the link named by <c>associated-link-name</c>.
/// </summary>
internal sealed class ManagementProcessor(MessageQueue queue, ConnectionRegistry connections, TimeProvider time, ILogger logger) : IRequestProcessor
{
    public int Credit => 100;

    public void Process(RequestContext requestContext)
    {
        var request = requestContext.Message;
        var operation = request.ApplicationProperties?["operation"] as string ?? string.Empty;
        var body = request.Body as Map ?? [];
        var state = connections.StateOf(requestContext.Link.Session.Connection);
        var linkName = request.ApplicationProperties?["associated-link-name"] as string;
        var receiver = linkName is not null && state.Receivers.TryGetValue(linkName, out var found) && found.Queue == queue ? found : null;
        Logs.ManagementRequest(logger, state.Number, queue.Path, operation);

        var needed = operation is "com.microsoft:schedule-message" or "com.microsoft:cancel-scheduled-message" ? AccessRights.Send : AccessRights.Listen;
        if (!state.Allows(queue.Settings.Name, needed, time.GetUtcNow()))
        {
            Reply(requestContext, 401, $"The connection has no token with {needed} on '{queue.Settings.Name}'.", BrokerError.Unauthorized);
            return;
        }

        try
        {
            Handle(requestContext, operation, body, receiver);
        }
        catch (Exception exception) when (exception is InvalidCastException or NullReferenceException or KeyNotFoundException or AmqpException)
        {
            Reply(requestContext, 400, $"Malformed {operation} request: {exception.Message}", null, "com.microsoft:argument-error");
        }
    }

    private void Handle(RequestContext context, string operation, Map body, OutgoingEndpoint? receiver)
    {
        object owner = receiver ?? new object();
        switch (operation)
        {
            case "com.microsoft:renew-session-lock":
            {
                var error = queue.RenewSessionLock((string)body["session-id"], owner, out var lockedUntil);
                Answer(context, error, new Map { ["expiration"] = lockedUntil });
                break;
            }

            case "com.microsoft:get-session-state":
            {
                var error = queue.GetSessionState((string)body["session-id"], owner, out var sessionState);
                Answer(context, error, new Map { ["session-state"] = sessionState });
                break;
            }

            case "com.microsoft:set-session-state":
            {
                var error = queue.SetSessionState((string)body["session-id"], owner, body["session-state"] as byte[]);
                Answer(context, error, []);
                break;
            }

            case "com.microsoft:renew-lock":
            {
                var expirations = new List<DateTime>();
                var error = queue.RenewMessageLocks((Guid[])body["lock-tokens"], expirations);
                Answer(context, error, new Map { ["expirations"] = expirations.ToArray() });
                break;
            }

            case "com.microsoft:peek-message":
            {
                var sessionId = body.ContainsKey("session-id") ? body["session-id"] as string : null;
                var peeked = queue.Peek((long)body["from-sequence-number"], (int)body["message-count"], sessionId);
                if (peeked.Count == 0)
                {
                    Reply(context, 204, "No messages", null);
                    break;
                }

                var list = new List();
                foreach (var message in peeked)
                {
                    list.Add(new Map { ["message"] = MessageFactory.Encode(MessageFactory.ForPeek(message)) });
                }

                Reply(context, 200, "OK", null, null, new Map { ["messages"] = list });
                break;
            }

            case "com.microsoft:receive-by-sequence-number":
            {
                var sessionId = body.ContainsKey("session-id") ? body["session-id"] as string : null;
                var deliveries = new List<Delivery>();
                var error = queue.ReceiveDeferred(owner, sessionId ?? receiver?.SessionId, (long[])body["sequence-numbers"], deliveries);
                var list = new List();
                foreach (var delivery in deliveries)
                {
                    list.Add(new Map { ["lock-token"] = delivery.LockToken, ["message"] = MessageFactory.Encode(MessageFactory.ForDelivery(delivery, withLock: true)) });
                }

                Answer(context, error, new Map { ["messages"] = list });
                break;
            }

            case "com.microsoft:update-disposition":
            {
                var status = (string)body["disposition-status"];
                var settlement = status switch
                {
                    "completed" => Settlement.Complete,
                    "abandoned" => Settlement.Abandon,
                    "suspended" => Settlement.DeadLetter,
                    "defered" => Settlement.Defer,
                    _ => throw new InvalidCastException($"unknown disposition-status '{status}'"),
                };
                var properties = body.ContainsKey("properties-to-modify") && body["properties-to-modify"] is Map map
                    ? map.Keys.ToDictionary(k => k.ToString()!, k => (object?)map[k])
                    : null;
                var reason = body.ContainsKey("deadletter-reason") ? body["deadletter-reason"] as string : null;
                var description = body.ContainsKey("deadletter-description") ? body["deadletter-description"] as string : null;
                var error = BrokerError.None;
                foreach (var token in (Guid[])body["lock-tokens"])
                {
                    error = queue.Settle(owner, token, settlement, properties, reason, description);
                    if (error != BrokerError.None)
                    {
                        break;
                    }
                }

                Answer(context, error, []);
                break;
            }

            case "com.microsoft:schedule-message":
            {
                var batch = new List<IncomingMessage>();
                foreach (var entry in (List)body["messages"])
                {
                    var encoded = (byte[])((Map)entry)["message"];
                    batch.AddRange(IncomingEndpoint.ToIncoming(MessageFactory.Decode(encoded)));
                }

                var sequenceNumbers = new List<long>();
                var error = queue.Enqueue(batch, sequenceNumbers);
                Answer(context, error, new Map { ["sequence-numbers"] = sequenceNumbers.ToArray() });
                break;
            }

            case "com.microsoft:cancel-scheduled-message":
                Answer(context, queue.CancelScheduled((long[])body["sequence-numbers"]), []);
                break;

            default:
                Reply(context, 501, $"Operation '{context.Message.ApplicationProperties?["operation"]}' is not supported by this emulator.", null, "amqp:not-implemented");
                break;
        }
    }

    private static void Answer(RequestContext context, BrokerError error, Map body)
    {
        if (error == BrokerError.None)
        {
            Reply(context, 200, "OK", null, null, body);
            return;
        }

        var status = error switch
        {
            BrokerError.SessionLockLost or BrokerError.MessageLockLost => 410,
            BrokerError.MessageNotFound or BrokerError.EntityNotFound => 404,
            BrokerError.Unauthorized => 401,
            BrokerError.QuotaExceeded => 403,
            _ => 400,
        };
        Reply(context, status, error.ToString(), error);
    }

    private static void Reply(RequestContext context, int status, string description, BrokerError? error, string? condition = null, Map? body = null)
    {
        var properties = new ApplicationProperties { ["statusCode"] = status, ["statusDescription"] = description };
        if (condition is not null || error is not null)
        {
            properties["errorCondition"] = new Symbol(condition ?? BrokerErrors.Condition(error!.Value));
        }

        context.Complete(new Message { ApplicationProperties = properties, BodySection = new AmqpValue { Value = body ?? [] } });
    }
}

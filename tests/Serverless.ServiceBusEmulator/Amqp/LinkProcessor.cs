using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;
using Microsoft.Extensions.Logging;
using Serverless.ServiceBusEmulator.Broker;
using Serverless.ServiceBusEmulator.Configuration;
using Serverless.ServiceBusEmulator.Security;

namespace Serverless.ServiceBusEmulator.Amqp;

/// <summary>
/// Answers every sender and receiver attach on an entity: checks the connection's token, then binds the link to its
/// queue. Session receivers lock a named session, or the next available one, waiting up to the client's timeout.
/// </summary>
internal sealed class LinkProcessor(EntityRegistry entities, ConnectionRegistry connections, TimeProvider time, ILogger logger) : ILinkProcessor
{
    public void Process(AttachContext attachContext)
    {
        var attach = attachContext.Attach;
        var clientReceives = attach.Role;
        var address = clientReceives ? (attach.Source as Source)?.Address : (attach.Target as Target)?.Address;
        var (queueName, deadLetter, management) = EntityAddress.Parse(address);
        var state = connections.StateOf(attachContext.Link.Session.Connection);
        if (management || queueName is null || !entities.TryGet(queueName, deadLetter, out var queue))
        {
            Fail(attachContext, state, BrokerError.EntityNotFound, $"The messaging entity '{address}' could not be found.");
            return;
        }

        var needed = clientReceives ? AccessRights.Listen : AccessRights.Send;
        if (!state.Allows(queue.Settings.Name, needed, time.GetUtcNow()))
        {
            Fail(attachContext, state, BrokerError.Unauthorized, $"Unauthorized access. '{needed}' claim(s) are required to perform this operation on '{queue.Path}'.");
            return;
        }

        attach.MaxMessageSize = (ulong)queue.Settings.MaxMessageSizeInBytes;
        if (!clientReceives)
        {
            if (deadLetter)
            {
                Fail(attachContext, state, BrokerError.NotAllowed, "Messages cannot be sent to a dead-letter queue.");
                return;
            }

            Logs.LinkAttached(logger, state.Number, attach.LinkName, "sender", queue.Path, null);
            attachContext.Complete(new IncomingEndpoint(queue), 300);
            return;
        }

        var filters = (attach.Source as Source)?.FilterSet;
        var wantsSession = filters is not null && filters.ContainsKey(AmqpNames.SessionFilter);
        if (wantsSession != queue.RequiresSession)
        {
            Fail(attachContext, state, BrokerError.NotAllowed, queue.RequiresSession
                ? $"Queue '{queue.Path}' requires sessions; use a session receiver."
                : $"Queue '{queue.Path}' does not use sessions; use a plain receiver.");
            return;
        }

        var endpoint = new OutgoingEndpoint(queue, attach.SndSettleMode != SenderSettleMode.Settled, state, attach.LinkName, logger);
        if (!wantsSession)
        {
            Complete(attachContext, endpoint, null, default);
            return;
        }

        if (filters![AmqpNames.SessionFilter] is string sessionId)
        {
            var error = queue.TryAcceptSession(sessionId, endpoint, out var lockedUntil);
            if (error != BrokerError.None)
            {
                Fail(attachContext, state, error, $"The session '{sessionId}' is locked by another receiver.");
                return;
            }

            Complete(attachContext, endpoint, sessionId, lockedUntil);
            return;
        }

        // Accept-next: answer before the client's own timeout, or its detach races our attach.
        var timeoutMs = attach.Properties?[AmqpNames.Timeout] is uint ms ? ms : 60_000u;
        var wait = TimeSpan.FromMilliseconds(Math.Max(timeoutMs - 250.0, timeoutMs / 2.0));
        var pending = new PendingAttach(attachContext, endpoint, time.GetUtcNow().UtcDateTime + wait);
        connections.AddPending(pending);
        entities.AddWaiter(queue, pending);
        TrySatisfyWaiters(queue);
    }

    /// <summary>Gives waiting accept-next receivers the sessions that now have messages, oldest waiter first.</summary>
    public void TrySatisfyWaiters(MessageQueue queue)
    {
        foreach (var pending in entities.Waiters(queue))
        {
            if (pending.IsAnswered)
            {
                entities.RemoveWaiter(queue, pending);
                continue;
            }

            var sessionId = queue.TryAcceptNextSession(pending.Endpoint, out var lockedUntil);
            if (sessionId is null)
            {
                return;
            }

            entities.RemoveWaiter(queue, pending);
            connections.RemovePending(pending);
            if (!pending.TryClaim())
            {
                queue.Release(pending.Endpoint, lockLost: false);
                continue;
            }

            Complete(pending.Context, pending.Endpoint, sessionId, lockedUntil);
        }
    }

    /// <summary>Answers accept-next receivers whose wait is over with the timeout the client retries on.</summary>
    public void ExpireWaiters(MessageQueue queue)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var pending in entities.Waiters(queue).Where(p => p.AnswerBy <= now))
        {
            entities.RemoveWaiter(queue, pending);
            connections.RemovePending(pending);
            pending.Fail(AmqpErrors.For(BrokerError.Timeout, $"No session with messages became available on '{queue.Path}'."));
        }
    }

    private void Complete(AttachContext attachContext, OutgoingEndpoint endpoint, string? sessionId, DateTime lockedUntil)
    {
        var attach = attachContext.Attach;
        if (sessionId is not null)
        {
            ((Source)attach.Source).FilterSet[AmqpNames.SessionFilter] = sessionId;
            attach.Properties ??= new Fields();
            attach.Properties[AmqpNames.LockedUntilUtc] = lockedUntil.Ticks;
        }

        attach.InitialDeliveryCount = 0;
        endpoint.Bind(attachContext.Link, sessionId);
        endpoint.Connection.Receivers[attach.LinkName] = endpoint;
        entities.AddReceiver(endpoint);
        Logs.LinkAttached(logger, endpoint.Connection.Number, attach.LinkName, "receiver", endpoint.Queue.Path, sessionId);
        attachContext.Complete(endpoint, 0);
    }

    private void Fail(AttachContext attachContext, ConnectionState state, BrokerError error, string description)
    {
        Logs.LinkRefused(logger, state.Number, attachContext.Attach.LinkName, BrokerErrors.Condition(error), description);
        attachContext.Complete(AmqpErrors.For(error, description));
    }
}

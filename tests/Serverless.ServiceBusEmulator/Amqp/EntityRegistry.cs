using System.Collections.Concurrent;
using Serverless.ServiceBusEmulator.Broker;
using Serverless.ServiceBusEmulator.Configuration;

namespace Serverless.ServiceBusEmulator.Amqp;

/// <summary>The queues of the namespace (each with its dead-letter queue), their receiver links and waiting accepts.</summary>
internal sealed class EntityRegistry
{
    private readonly Dictionary<string, (MessageQueue Main, MessageQueue DeadLetter)> _queues = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<MessageQueue, ConcurrentDictionary<OutgoingEndpoint, byte>> _receivers = new();
    private readonly ConcurrentDictionary<MessageQueue, List<PendingAttach>> _waiters = new();

    public EntityRegistry(EmulatorConfig config, TimeProvider time)
    {
        foreach (var settings in config.Queues)
        {
            var deadLetter = new MessageQueue(settings, time, deadLetterQueue: null, isDeadLetterQueue: true);
            _queues[settings.Name] = (new MessageQueue(settings, time, deadLetter), deadLetter);
        }
    }

    public IEnumerable<MessageQueue> All => _queues.Values.SelectMany(q => new[] { q.Main, q.DeadLetter });

    public bool TryGet(string name, bool deadLetter, out MessageQueue queue)
    {
        if (_queues.TryGetValue(name, out var pair))
        {
            queue = deadLetter ? pair.DeadLetter : pair.Main;
            return true;
        }

        queue = null!;
        return false;
    }

    public void AddReceiver(OutgoingEndpoint endpoint)
    {
        _receivers.GetOrAdd(endpoint.Queue, _ => new())[endpoint] = 0;
        endpoint.Closed += RemoveReceiver;
    }

    private void RemoveReceiver(OutgoingEndpoint endpoint)
    {
        if (_receivers.TryGetValue(endpoint.Queue, out var set))
        {
            set.TryRemove(endpoint, out _);
        }
    }

    public ICollection<OutgoingEndpoint> Receivers(MessageQueue queue) =>
        _receivers.TryGetValue(queue, out var set) ? set.Keys : [];

    public void AddWaiter(MessageQueue queue, PendingAttach pending)
    {
        var list = _waiters.GetOrAdd(queue, _ => []);
        lock (list)
        {
            list.Add(pending);
        }
    }

    public void RemoveWaiter(MessageQueue queue, PendingAttach pending)
    {
        if (_waiters.TryGetValue(queue, out var list))
        {
            lock (list)
            {
                list.Remove(pending);
            }
        }
    }

    public List<PendingAttach> Waiters(MessageQueue queue)
    {
        if (!_waiters.TryGetValue(queue, out var list))
        {
            return [];
        }

        lock (list)
        {
            return [.. list];
        }
    }
}

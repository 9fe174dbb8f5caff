using System.Collections.Concurrent;

namespace Serverless.RelayAgent.Snmp;

/// <summary>
/// The metric subscriptions the agent serves: each a prepared poll plan, an interval and a lease. Held in memory: the
/// control plane renews every subscription well within its lease, so an agent that restarts or takes over a session
/// is subscribed again within one renewal.
/// </summary>
public sealed class MetricsSubscriptions(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = NewSignal();

    public int Count => _subscriptions.Count;

    /// <summary>Completes at the next change of the subscriptions, so a waiting poller need not wake before it is due.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>When the next subscription is due to poll or lapse; null when there is none.</summary>
    public DateTimeOffset? NextDueAt => _subscriptions.IsEmpty ? null : _subscriptions.Values.Min(s => s.NextPollAt < s.ExpiresAt ? s.NextPollAt : s.ExpiresAt);

    /// <summary>Adds or renews the subscription: a new one polls at once, a renewed one keeps its schedule.</summary>
    public DateTimeOffset Put(string id, Handlers.MemberMetrics.Plan plan, TimeSpan interval, TimeSpan lease)
    {
        var now = clock.GetUtcNow();
        var expiresAt = now + lease;
        _subscriptions.AddOrUpdate(
            id,
            _ => new Subscription(id, plan, interval, expiresAt, now),
            (_, existing) => new Subscription(id, plan, interval, expiresAt, existing.NextPollAt < now + interval ? existing.NextPollAt : now + interval));
        Signal();
        return expiresAt;
    }

    public bool Remove(string id)
    {
        var removed = _subscriptions.TryRemove(id, out _);
        Signal();
        return removed;
    }

    /// <summary>The subscriptions due now, each moved to its next poll; lapsed ones are dropped.</summary>
    public IReadOnlyList<Subscription> TakeDue()
    {
        var now = clock.GetUtcNow();
        var due = new List<Subscription>();
        foreach (var (id, subscription) in _subscriptions)
        {
            if (subscription.ExpiresAt <= now)
            {
                _subscriptions.TryRemove(new KeyValuePair<string, Subscription>(id, subscription));
            }
            else if (subscription.NextPollAt <= now)
            {
                var next = subscription with { NextPollAt = subscription.NextPollAt + subscription.Interval <= now ? now + subscription.Interval : subscription.NextPollAt + subscription.Interval };
                if (_subscriptions.TryUpdate(id, next, subscription))
                {
                    due.Add(subscription);
                }
            }
        }

        return due;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Signal() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    public sealed record Subscription(string Id, Handlers.MemberMetrics.Plan Plan, TimeSpan Interval, DateTimeOffset ExpiresAt, DateTimeOffset NextPollAt);
}

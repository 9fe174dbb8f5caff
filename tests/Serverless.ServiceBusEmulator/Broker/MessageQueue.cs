using Serverless.ServiceBusEmulator.Configuration;

namespace Serverless.ServiceBusEmulator.Broker;

/// <summary>
/// One queue (or a queue's dead-letter sub-queue) in memory: FIFO by sequence number, peek-locks, sessions with exclusive
/// locks and state, deferral, scheduling, expiry, duplicate detection and bounded size. Thread-safe; one lock per queue.
/// Receivers are identified by an owner object (the AMQP link endpoint). <see cref="Changed"/> fires, outside the lock,
/// whenever messages may have become available, so that links with credit can pull.
/// </summary>
public sealed class MessageQueue
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, StoredMessage> _messages = [];
    private readonly Dictionary<Guid, StoredMessage> _locked = [];
    private readonly SortedSet<long> _available = [];
    private readonly Dictionary<string, SessionEntry> _sessions = new(StringComparer.Ordinal);
    private readonly SortedSet<(DateTime At, long Sequence)> _scheduled = [];
    private readonly Dictionary<string, DateTime> _recentMessageIds = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTime At)> _recentOrder = new();
    private readonly TimeProvider _time;
    private long _nextSequence = 1;
    private long _totalBytes;
    private DateTime _lastExpirySweep;

    public MessageQueue(QueueSettings settings, TimeProvider time, MessageQueue? deadLetterQueue, bool isDeadLetterQueue = false)
    {
        Settings = settings;
        _time = time;
        DeadLetterQueue = deadLetterQueue;
        IsDeadLetterQueue = isDeadLetterQueue;
    }

    public event Action? Changed;

    public QueueSettings Settings { get; }

    public MessageQueue? DeadLetterQueue { get; }

    public bool IsDeadLetterQueue { get; }

    public bool RequiresSession => Settings.RequiresSession && !IsDeadLetterQueue;

    public string Path => IsDeadLetterQueue ? $"{Settings.Name}/$deadletterqueue" : Settings.Name;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    public BrokerError Enqueue(IReadOnlyList<IncomingMessage> batch, List<long>? sequenceNumbers = null)
    {
        var now = Now;
        lock (_gate)
        {
            long bytes = 0;
            foreach (var message in batch)
            {
                if (message.Encoded.Length > Settings.MaxMessageSizeInBytes)
                {
                    return BrokerError.MessageSizeExceeded;
                }

                if (RequiresSession && string.IsNullOrEmpty(message.SessionId))
                {
                    return BrokerError.NotAllowed;
                }

                bytes += message.Encoded.Length;
            }

            if (_totalBytes + bytes > Settings.MaxSizeInBytes)
            {
                return BrokerError.QuotaExceeded;
            }

            ForgetOldMessageIds(now);
            foreach (var message in batch)
            {
                if (IsDuplicate(message.MessageId, now))
                {
                    sequenceNumbers?.Add(-1);
                    continue;
                }

                var ttl = message.TimeToLive is { } requested && requested < Settings.DefaultMessageTimeToLive ? requested : Settings.DefaultMessageTimeToLive;
                var stored = new StoredMessage
                {
                    SequenceNumber = _nextSequence++,
                    Encoded = message.Encoded,
                    MessageId = message.MessageId,
                    SessionId = RequiresSession ? message.SessionId : null,
                    EnqueuedAt = now,
                    ExpiresAt = ttl >= DateTime.MaxValue - now ? DateTime.MaxValue : now + ttl,
                    ScheduledFor = message.ScheduledFor > now ? message.ScheduledFor : null,
                };
                Add(stored);
                sequenceNumbers?.Add(stored.SequenceNumber);
            }
        }

        Changed?.Invoke();
        return BrokerError.None;
    }

    /// <summary>Removes scheduled messages before they become available.</summary>
    public BrokerError CancelScheduled(IReadOnlyList<long> sequenceNumbers)
    {
        lock (_gate)
        {
            foreach (var sequence in sequenceNumbers)
            {
                if (_messages.TryGetValue(sequence, out var message) && message.ScheduledFor is { } at)
                {
                    _scheduled.Remove((at, sequence));
                    Remove(message);
                }
            }

            return BrokerError.None;
        }
    }

    /// <summary>Adds a message that another queue dead-lettered. The dead-letter queue keeps it until it is received.</summary>
    internal void AddDeadLettered(StoredMessage original, string? reason, string? description)
    {
        lock (_gate)
        {
            // Bounded memory: a full dead-letter queue drops its oldest message rather than refusing the move.
            while (_totalBytes + original.Encoded.Length > Settings.MaxSizeInBytes && _available.Count > 0)
            {
                Remove(_messages[_available.Min]);
            }

            Add(new StoredMessage
            {
                SequenceNumber = _nextSequence++,
                Encoded = original.Encoded,
                MessageId = original.MessageId,
                SessionId = original.SessionId,
                EnqueuedAt = original.EnqueuedAt,
                ExpiresAt = DateTime.MaxValue,
                DeliveryCount = original.DeliveryCount,
                ModifiedProperties = original.ModifiedProperties,
                DeadLetterReason = reason,
                DeadLetterDescription = description,
                DeadLetterSource = Settings.Name,
            });
        }

        Changed?.Invoke();
    }

    /// <summary>Locks the named session for <paramref name="owner"/>; the session need not have messages yet.</summary>
    public BrokerError TryAcceptSession(string sessionId, object owner, out DateTime lockedUntil)
    {
        var now = Now;
        lock (_gate)
        {
            lockedUntil = default;
            if (!RequiresSession)
            {
                return BrokerError.NotAllowed;
            }

            var session = GetOrAddSession(sessionId);
            if (session.Owner is not null && session.Owner != owner && session.LockedUntil > now)
            {
                return BrokerError.SessionCannotBeLocked;
            }

            if (session.Owner is not null && session.Owner != owner)
            {
                ReleaseLocked(session.Owner, lockLost: true, []);
            }

            session.Owner = owner;
            session.LockedUntil = lockedUntil = now + Settings.LockDuration;
            return BrokerError.None;
        }
    }

    /// <summary>Locks the unlocked session whose first available message is oldest, or returns null when there is none.</summary>
    public string? TryAcceptNextSession(object owner, out DateTime lockedUntil)
    {
        var now = Now;
        lock (_gate)
        {
            lockedUntil = default;
            SessionEntry? best = null;
            foreach (var session in _sessions.Values)
            {
                if (session.Available.Count == 0 || (session.Owner is not null && session.LockedUntil > now))
                {
                    continue;
                }

                if (best is null || session.Available.Min < best.Available.Min)
                {
                    best = session;
                }
            }

            if (best is null)
            {
                return null;
            }

            if (best.Owner is not null)
            {
                ReleaseLocked(best.Owner, lockLost: true, []);
            }

            best.Owner = owner;
            best.LockedUntil = lockedUntil = now + Settings.LockDuration;
            return best.Id;
        }
    }

    /// <summary>Hands up to <paramref name="max"/> available messages to a receiver, oldest first.</summary>
    public BrokerError Take(object owner, string? sessionId, int max, bool peekLock, List<Delivery> into)
    {
        var now = Now;
        var deadLettered = new List<(StoredMessage, string, string)>();
        lock (_gate)
        {
            SortedSet<long> source;
            DateTime lockedUntil;
            if (RequiresSession)
            {
                if (sessionId is null || !_sessions.TryGetValue(sessionId, out var session) || session.Owner != owner || session.LockedUntil <= now)
                {
                    return BrokerError.SessionLockLost;
                }

                source = session.Available;
                lockedUntil = session.LockedUntil;
            }
            else
            {
                source = _available;
                lockedUntil = now + Settings.LockDuration;
            }

            while (into.Count < max && source.Count > 0)
            {
                var message = _messages[source.Min];
                source.Remove(message.SequenceNumber);
                if (message.ExpiresAt <= now)
                {
                    Expire(message, deadLettered);
                    continue;
                }

                if (!peekLock)
                {
                    Remove(message);
                    into.Add(new Delivery(message, Guid.Empty, default, message.DeliveryCount));
                    continue;
                }

                message.LockToken = Guid.NewGuid();
                message.LockHolder = owner;
                message.LockedUntil = lockedUntil;
                _locked[message.LockToken] = message;
                into.Add(new Delivery(message, message.LockToken, lockedUntil, message.DeliveryCount));
            }
        }

        MoveToDeadLetter(deadLettered);
        return BrokerError.None;
    }

    public BrokerError Settle(object owner, Guid lockToken, Settlement settlement, IReadOnlyDictionary<string, object?>? propertiesToModify, string? reason, string? description)
    {
        var now = Now;
        var deadLettered = new List<(StoredMessage, string, string)>();
        var becameAvailable = false;
        lock (_gate)
        {
            if (!_locked.TryGetValue(lockToken, out var message) || message.LockHolder != owner)
            {
                return RequiresSession ? BrokerError.SessionLockLost : BrokerError.MessageLockLost;
            }

            if (RequiresSession)
            {
                if (!_sessions.TryGetValue(message.SessionId!, out var session) || session.Owner != owner || session.LockedUntil <= now)
                {
                    return BrokerError.SessionLockLost;
                }
            }
            else if (message.LockedUntil <= now)
            {
                return BrokerError.MessageLockLost;
            }

            Unlock(message);
            Merge(message, propertiesToModify);
            switch (settlement)
            {
                case Settlement.Complete:
                    Remove(message);
                    break;
                case Settlement.Defer:
                    message.Deferred = true;
                    break;
                case Settlement.DeadLetter:
                    Remove(message);
                    deadLettered.Add((message, reason ?? string.Empty, description ?? string.Empty));
                    break;
                default:
                    message.DeliveryCount++;
                    becameAvailable = ReturnOrDeadLetter(message, deadLettered);
                    break;
            }
        }

        MoveToDeadLetter(deadLettered);
        if (becameAvailable)
        {
            Changed?.Invoke();
        }

        return BrokerError.None;
    }

    /// <summary>
    /// A receiver went away. Its locked messages become available again; when its lock was lost (expired, or the link
    /// died) that counts as a failed delivery. Its session lock is released.
    /// </summary>
    public void Release(object owner, bool lockLost)
    {
        var now = Now;
        var deadLettered = new List<(StoredMessage, string, string)>();
        lock (_gate)
        {
            ReleaseLocked(owner, lockLost, deadLettered);
            foreach (var session in _sessions.Values)
            {
                if (session.Owner == owner)
                {
                    session.Owner = null;
                    RemoveIfIdle(session);
                }
            }
        }

        MoveToDeadLetter(deadLettered);
        Changed?.Invoke();
    }

    public BrokerError RenewSessionLock(string sessionId, object owner, out DateTime lockedUntil)
    {
        var now = Now;
        lock (_gate)
        {
            lockedUntil = default;
            if (!_sessions.TryGetValue(sessionId, out var session) || session.Owner != owner || session.LockedUntil <= now)
            {
                return BrokerError.SessionLockLost;
            }

            session.LockedUntil = lockedUntil = now + Settings.LockDuration;
            foreach (var message in _locked.Values)
            {
                if (message.LockHolder == owner)
                {
                    message.LockedUntil = lockedUntil;
                }
            }

            return BrokerError.None;
        }
    }

    public BrokerError RenewMessageLocks(IReadOnlyList<Guid> lockTokens, List<DateTime> expirations)
    {
        var now = Now;
        lock (_gate)
        {
            foreach (var token in lockTokens)
            {
                if (!_locked.TryGetValue(token, out var message) || message.LockedUntil <= now)
                {
                    return BrokerError.MessageLockLost;
                }
            }

            foreach (var token in lockTokens)
            {
                var message = _locked[token];
                message.LockedUntil = now + Settings.LockDuration;
                expirations.Add(message.LockedUntil);
            }

            return BrokerError.None;
        }
    }

    public BrokerError GetSessionState(string sessionId, object owner, out byte[]? state)
    {
        lock (_gate)
        {
            state = null;
            if (!OwnsSession(sessionId, owner, out var session))
            {
                return BrokerError.SessionLockLost;
            }

            state = session.State;
            return BrokerError.None;
        }
    }

    public BrokerError SetSessionState(string sessionId, object owner, byte[]? state)
    {
        lock (_gate)
        {
            if (!OwnsSession(sessionId, owner, out var session))
            {
                return BrokerError.SessionLockLost;
            }

            var delta = (state?.Length ?? 0) - (session.State?.Length ?? 0);
            if (_totalBytes + delta > Settings.MaxSizeInBytes)
            {
                return BrokerError.QuotaExceeded;
            }

            _totalBytes += delta;
            session.State = state;
            return BrokerError.None;
        }
    }

    /// <summary>Messages from a sequence number on, in order, in any state, without locking them.</summary>
    public List<StoredMessage> Peek(long fromSequenceNumber, int count, string? sessionId)
    {
        lock (_gate)
        {
            return _messages.Values
                .Where(m => m.SequenceNumber >= fromSequenceNumber && (sessionId is null || m.SessionId == sessionId))
                .OrderBy(m => m.SequenceNumber)
                .Take(count)
                .ToList();
        }
    }

    /// <summary>Locks deferred messages by sequence number for their owner (a receiver that holds the session, if any).</summary>
    public BrokerError ReceiveDeferred(object owner, string? sessionId, IReadOnlyList<long> sequenceNumbers, List<Delivery> into)
    {
        var now = Now;
        lock (_gate)
        {
            DateTime lockedUntil;
            if (RequiresSession)
            {
                if (sessionId is null || !OwnsSession(sessionId, owner, out var session))
                {
                    return BrokerError.SessionLockLost;
                }

                lockedUntil = session.LockedUntil;
            }
            else
            {
                lockedUntil = now + Settings.LockDuration;
            }

            foreach (var sequence in sequenceNumbers)
            {
                if (!_messages.TryGetValue(sequence, out var message) || !message.Deferred || message.IsLocked || (RequiresSession && message.SessionId != sessionId))
                {
                    return BrokerError.MessageNotFound;
                }
            }

            foreach (var sequence in sequenceNumbers)
            {
                var message = _messages[sequence];
                message.LockToken = Guid.NewGuid();
                message.LockHolder = owner;
                message.LockedUntil = lockedUntil;
                _locked[message.LockToken] = message;
                into.Add(new Delivery(message, message.LockToken, lockedUntil, message.DeliveryCount));
            }

            return BrokerError.None;
        }
    }

    /// <summary>
    /// Applies time: expired message locks return their messages (a failed delivery), scheduled messages become
    /// available, expired messages leave. Returns the owners whose session lock expired, so their links can be closed.
    /// </summary>
    public List<object> Sweep()
    {
        var now = Now;
        var lostOwners = new List<object>();
        var deadLettered = new List<(StoredMessage, string, string)>();
        var changed = false;
        lock (_gate)
        {
            if (RequiresSession)
            {
                foreach (var session in _sessions.Values.ToList())
                {
                    if (session.Owner is not null && session.LockedUntil <= now)
                    {
                        lostOwners.Add(session.Owner);
                        ReleaseLocked(session.Owner, lockLost: true, deadLettered);
                        session.Owner = null;
                        RemoveIfIdle(session);
                        changed = true;
                    }
                }
            }
            else
            {
                foreach (var message in _locked.Values.Where(m => m.LockedUntil <= now).ToList())
                {
                    Unlock(message);
                    message.DeliveryCount++;
                    changed |= ReturnOrDeadLetter(message, deadLettered);
                }
            }

            while (_scheduled.Count > 0 && _scheduled.Min.At <= now)
            {
                var entry = _scheduled.Min;
                _scheduled.Remove(entry);
                if (_messages.TryGetValue(entry.Sequence, out var message))
                {
                    message.ScheduledFor = null;
                    MakeAvailable(message);
                    changed = true;
                }
            }

            // Expiry needs a scan of every message; once a second is enough, and receivers skip expired ones anyway.
            if (now - _lastExpirySweep >= TimeSpan.FromSeconds(1))
            {
                _lastExpirySweep = now;
                foreach (var message in _messages.Values.Where(m => m.ExpiresAt <= now && !m.IsLocked && m.ScheduledFor is null).ToList())
                {
                    AvailableSetOf(message).Remove(message.SequenceNumber);
                    Expire(message, deadLettered);
                }
            }
        }

        MoveToDeadLetter(deadLettered);
        if (changed)
        {
            Changed?.Invoke();
        }

        return lostOwners;
    }

    public bool HasAvailableFor(string? sessionId)
    {
        lock (_gate)
        {
            return RequiresSession
                ? sessionId is not null && _sessions.TryGetValue(sessionId, out var session) && session.Available.Count > 0
                : _available.Count > 0;
        }
    }

    private bool OwnsSession(string sessionId, object owner, out SessionEntry session)
    {
        return _sessions.TryGetValue(sessionId, out session!) && session.Owner == owner && session.LockedUntil > Now;
    }

    private void Add(StoredMessage message)
    {
        _messages[message.SequenceNumber] = message;
        _totalBytes += message.Encoded.Length;
        if (message.SessionId is not null)
        {
            GetOrAddSession(message.SessionId).MessageCount++;
        }

        if (message.ScheduledFor is { } at)
        {
            _scheduled.Add((at, message.SequenceNumber));
        }
        else
        {
            MakeAvailable(message);
        }
    }

    private void Remove(StoredMessage message)
    {
        _messages.Remove(message.SequenceNumber);
        AvailableSetOf(message).Remove(message.SequenceNumber);
        _totalBytes -= message.Encoded.Length;
        if (message.SessionId is not null && _sessions.TryGetValue(message.SessionId, out var session))
        {
            session.MessageCount--;
            RemoveIfIdle(session);
        }
    }

    private void MakeAvailable(StoredMessage message) => AvailableSetOf(message).Add(message.SequenceNumber);

    private SortedSet<long> AvailableSetOf(StoredMessage message) =>
        message.SessionId is not null && RequiresSession ? GetOrAddSession(message.SessionId).Available : _available;

    private SessionEntry GetOrAddSession(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out var session))
        {
            session = new SessionEntry(sessionId);
            _sessions[sessionId] = session;
        }

        return session;
    }

    // Bounded memory: a session with no messages, no state and no owner is forgotten.
    private void RemoveIfIdle(SessionEntry session)
    {
        if (session.MessageCount == 0 && session.State is null && session.Owner is null)
        {
            _sessions.Remove(session.Id);
        }
    }

    private void Unlock(StoredMessage message)
    {
        _locked.Remove(message.LockToken);
        message.LockHolder = null;
        message.LockToken = Guid.Empty;
    }

    private void ReleaseLocked(object owner, bool lockLost, List<(StoredMessage, string, string)> deadLettered)
    {
        foreach (var message in _locked.Values.Where(m => m.LockHolder == owner).ToList())
        {
            Unlock(message);
            if (message.Deferred)
            {
                continue;
            }

            if (lockLost)
            {
                message.DeliveryCount++;
            }

            ReturnOrDeadLetter(message, deadLettered);
        }
    }

    private bool ReturnOrDeadLetter(StoredMessage message, List<(StoredMessage, string, string)> deadLettered)
    {
        if (message.DeliveryCount >= Settings.MaxDeliveryCount && DeadLetterQueue is not null)
        {
            Remove(message);
            deadLettered.Add((message, "MaxDeliveryCountExceeded", $"Message could not be consumed after {Settings.MaxDeliveryCount} delivery attempts."));
            return false;
        }

        MakeAvailable(message);
        return true;
    }

    private void Expire(StoredMessage message, List<(StoredMessage, string, string)> deadLettered)
    {
        Remove(message);
        if (Settings.DeadLetteringOnMessageExpiration && DeadLetterQueue is not null)
        {
            deadLettered.Add((message, "TTLExpiredException", "The message expired and was dead lettered."));
        }
    }

    private void MoveToDeadLetter(List<(StoredMessage Message, string Reason, string Description)> deadLettered)
    {
        foreach (var (message, reason, description) in deadLettered)
        {
            DeadLetterQueue?.AddDeadLettered(message, reason.Length == 0 ? null : reason, description.Length == 0 ? null : description);
        }
    }

    private static void Merge(StoredMessage message, IReadOnlyDictionary<string, object?>? propertiesToModify)
    {
        if (propertiesToModify is null || propertiesToModify.Count == 0)
        {
            return;
        }

        message.ModifiedProperties ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in propertiesToModify)
        {
            message.ModifiedProperties[key] = value;
        }
    }

    private bool IsDuplicate(string? messageId, DateTime now)
    {
        if (!Settings.RequiresDuplicateDetection || messageId is null)
        {
            return false;
        }

        if (_recentMessageIds.ContainsKey(messageId))
        {
            return true;
        }

        _recentMessageIds[messageId] = now;
        _recentOrder.Enqueue((messageId, now));
        return false;
    }

    private void ForgetOldMessageIds(DateTime now)
    {
        var cutoff = now - Settings.DuplicateDetectionHistoryTimeWindow;
        while (_recentOrder.Count > 0 && _recentOrder.Peek().At <= cutoff)
        {
            _recentMessageIds.Remove(_recentOrder.Dequeue().Id);
        }
    }

    private sealed class SessionEntry(string id)
    {
        public string Id { get; } = id;

        public SortedSet<long> Available { get; } = [];

        public byte[]? State { get; set; }

        public object? Owner { get; set; }

        public DateTime LockedUntil { get; set; }

        public int MessageCount { get; set; }
    }
}

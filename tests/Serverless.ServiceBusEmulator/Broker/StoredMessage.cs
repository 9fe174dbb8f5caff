namespace Serverless.ServiceBusEmulator.Broker;

/// <summary>A message as the broker keeps it: the sender's encoded AMQP message plus the broker's bookkeeping.</summary>
public sealed class StoredMessage
{
    public required long SequenceNumber { get; init; }

    /// <summary>The AMQP message exactly as the sender encoded it; broker annotations are added on each delivery.</summary>
    public required byte[] Encoded { get; init; }

    public string? MessageId { get; init; }

    public string? SessionId { get; init; }

    public required DateTime EnqueuedAt { get; init; }

    public required DateTime ExpiresAt { get; init; }

    public DateTime? ScheduledFor { get; set; }

    /// <summary>Failed deliveries so far; the client shows this plus one.</summary>
    public int DeliveryCount { get; set; }

    public bool Deferred { get; set; }

    public Guid LockToken { get; set; }

    public DateTime LockedUntil { get; set; }

    public object? LockHolder { get; set; }

    public Dictionary<string, object?>? ModifiedProperties { get; set; }

    public string? DeadLetterReason { get; init; }

    public string? DeadLetterDescription { get; init; }

    public string? DeadLetterSource { get; init; }

    public bool IsLocked => LockHolder is not null;

    /// <summary>0 active, 1 deferred, 2 scheduled: the values of the client's <c>ServiceBusMessageState</c>.</summary>
    public int State => Deferred ? 1 : ScheduledFor is not null ? 2 : 0;
}

/// <summary>A message arriving from a sender, before it gets a sequence number.</summary>
public sealed record IncomingMessage(byte[] Encoded, string? MessageId, string? SessionId, TimeSpan? TimeToLive, DateTime? ScheduledFor);

/// <summary>One message handed to a receiver, with the lock it holds (empty for receive-and-delete).</summary>
public sealed record Delivery(StoredMessage Message, Guid LockToken, DateTime LockedUntil, int DeliveryCount);

/// <summary>How a receiver settles a locked message.</summary>
public enum Settlement
{
    Complete,
    Abandon,
    Defer,
    DeadLetter,
}

/// <summary>Failures the client maps to its exception reasons; <see cref="BrokerErrors"/> names their AMQP conditions.</summary>
public enum BrokerError
{
    None,
    EntityNotFound,
    SessionCannotBeLocked,
    SessionLockLost,
    MessageLockLost,
    QuotaExceeded,
    MessageSizeExceeded,
    NotAllowed,
    MessageNotFound,
    Unauthorized,
    Timeout,
}

public static class BrokerErrors
{
    public static string Condition(BrokerError error) => error switch
    {
        BrokerError.EntityNotFound => "amqp:not-found",
        BrokerError.SessionCannotBeLocked => "com.microsoft:session-cannot-be-locked",
        BrokerError.SessionLockLost => "com.microsoft:session-lock-lost",
        BrokerError.MessageLockLost => "com.microsoft:message-lock-lost",
        BrokerError.QuotaExceeded => "amqp:resource-limit-exceeded",
        BrokerError.MessageSizeExceeded => "amqp:link:message-size-exceeded",
        BrokerError.NotAllowed => "amqp:not-allowed",
        BrokerError.MessageNotFound => "com.microsoft:message-not-found",
        BrokerError.Unauthorized => "amqp:unauthorized-access",
        BrokerError.Timeout => "com.microsoft:timeout",
        _ => "amqp:internal-error",
    };
}

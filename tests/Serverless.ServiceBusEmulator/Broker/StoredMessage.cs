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

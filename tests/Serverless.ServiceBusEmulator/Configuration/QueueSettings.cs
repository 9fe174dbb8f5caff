namespace Serverless.ServiceBusEmulator.Configuration;

/// <summary>A queue's settings, validated; durations already parsed.</summary>
public sealed record QueueSettings(
    string Name,
    bool RequiresSession,
    TimeSpan LockDuration,
    int MaxDeliveryCount,
    TimeSpan DefaultMessageTimeToLive,
    bool DeadLetteringOnMessageExpiration,
    bool RequiresDuplicateDetection,
    TimeSpan DuplicateDetectionHistoryTimeWindow,
    long MaxSizeInBytes,
    int MaxMessageSizeInBytes,
    IReadOnlyList<SharedAccessPolicy> Policies);

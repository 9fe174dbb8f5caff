using Amqp.Types;

namespace Serverless.ServiceBusEmulator.Amqp;

/// <summary>The symbols and property names the Service Bus client uses on the wire.</summary>
internal static class AmqpNames
{
    public const uint BatchFormat = 0x80013700;

    public static readonly Symbol SessionFilter = new("com.microsoft:session-filter");
    public static readonly Symbol LockedUntilUtc = new("com.microsoft:locked-until-utc");
    public static readonly Symbol Timeout = new("com.microsoft:timeout");
    public static readonly Symbol SequenceNumber = new("x-opt-sequence-number");
    public static readonly Symbol EnqueuedTime = new("x-opt-enqueued-time");
    public static readonly Symbol LockedUntil = new("x-opt-locked-until");
    public static readonly Symbol MessageState = new("x-opt-message-state");
    public static readonly Symbol DeadLetterSource = new("x-opt-deadletter-source");
    public static readonly Symbol ScheduledEnqueueTime = new("x-opt-scheduled-enqueue-time");
    public static readonly Symbol DeadLetterCondition = new("com.microsoft:dead-letter");

    public const string DeadLetterReason = "DeadLetterReason";
    public const string DeadLetterErrorDescription = "DeadLetterErrorDescription";
}

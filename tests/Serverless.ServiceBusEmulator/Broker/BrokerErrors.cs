namespace Serverless.ServiceBusEmulator.Broker;

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

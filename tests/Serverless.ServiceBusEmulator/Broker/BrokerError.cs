namespace Serverless.ServiceBusEmulator.Broker;

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

namespace Serverless.ServiceBusEmulator.Broker;

/// <summary>How a receiver settles a locked message.</summary>
public enum Settlement
{
    Complete,
    Abandon,
    Defer,
    DeadLetter,
}

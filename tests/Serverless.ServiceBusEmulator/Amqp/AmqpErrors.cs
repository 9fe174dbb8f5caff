using Amqp.Framing;
using Amqp.Types;
using Serverless.ServiceBusEmulator.Broker;

namespace Serverless.ServiceBusEmulator.Amqp;

/// <summary>Broker failures as the AMQP errors the client maps to its exception reasons.</summary>
internal static class AmqpErrors
{
    public static Error For(BrokerError error, string description) =>
        new(new Symbol(BrokerErrors.Condition(error))) { Description = description };
}

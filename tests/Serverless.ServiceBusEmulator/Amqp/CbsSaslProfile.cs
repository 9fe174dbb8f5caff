using Amqp;
using Amqp.Sasl;
using Amqp.Types;

namespace Serverless.ServiceBusEmulator.Amqp;

/// <summary>
/// The Service Bus client opens SASL with mechanism <c>MSSBCBS</c> and authenticates later through <c>$cbs</c>; the
/// listener must offer that mechanism and accept it without credentials.
/// </summary>
internal sealed class CbsSaslProfile() : SaslProfile(Name)
{
    public static readonly Symbol Name = new("MSSBCBS");

    protected override ITransport UpgradeTransport(ITransport transport) => transport;

    protected override DescribedList GetStartCommand(string hostname) => new SaslInit { Mechanism = Name };

    protected override DescribedList OnCommand(DescribedList command) =>
        command is SaslInit ? new SaslOutcome { Code = SaslCode.Ok } : throw new AmqpException(ErrorCode.NotAllowed, $"unexpected SASL frame {command}");
}

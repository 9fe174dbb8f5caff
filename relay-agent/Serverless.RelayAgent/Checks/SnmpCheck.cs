using Serverless.Contracts.Snmp;
using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Snmp;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Checks;

/// <summary>Whether an appliance answers the agent with one of its named credentials: a GET of the system group.</summary>
public static class SnmpCheck
{
    private static readonly Oid[] SystemGroup = [Oid.Parse("1.3.6.1.2.1.1.1.0"), Oid.Parse("1.3.6.1.2.1.1.2.0")];

    public static async Task<CheckOutcome> RunAsync(SnmpDevices devices, SnmpClient client, string address, string credential, CancellationToken cancellationToken)
    {
        var name = $"snmp {address}";
        SnmpTarget target;
        try
        {
            target = await devices.ResolveAsync(new SnmpDevice(address, credential), cancellationToken);
        }
        catch (CommandFailure failure)
        {
            return CheckOutcome.Failed(name, failure.Message, "name a credential configured under RelayAgent:Snmp:Credentials and a reachable host[:port].");
        }

        try
        {
            var bindings = await client.GetAsync(target, SystemGroup, cancellationToken);
            return CheckOutcome.Ok(name, $"answers with credential '{credential}': {Shorten(bindings[0].Value.ToString())} ({bindings[1].Value}).");
        }
        catch (SnmpTimeoutException exception)
        {
            return CheckOutcome.Failed(name, exception.Message,
                target is CommunityTarget
                    ? $"check the address and UDP port, that the device allows SNMP from this host, and the community of credential '{credential}' (a v1/v2c agent does not answer a wrong one)."
                    : "check the address and UDP port, and that the device allows SNMP from this host.");
        }
        catch (SnmpUsmException exception)
        {
            return CheckOutcome.Failed(name, exception.Message, $"check the user, protocols and passwords of credential '{credential}' against the device's SNMPv3 user.");
        }
        catch (Exception exception) when (SnmpFailures.IsSnmpFailure(exception))
        {
            return CheckOutcome.Failed(name, SnmpFailures.From(exception, target).Message, "check that the device grants this credential read access to the system group (1.3.6.1.2.1.1).");
        }
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 60 ? line : line[..57] + "...";
    }
}

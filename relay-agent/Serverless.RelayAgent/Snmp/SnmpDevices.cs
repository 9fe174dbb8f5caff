using Microsoft.Extensions.Options;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Snmp;
using Serverless.RelayAgent.Handlers;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Snmp;

/// <summary>Turns a device as a command names it into a target with the agent's own credential and timing.</summary>
public sealed class SnmpDevices(IOptions<SnmpAgentOptions> options)
{
    public async Task<SnmpTarget> ResolveAsync(SnmpDevice? device, CancellationToken cancellationToken)
    {
        if (device is null)
        {
            throw new CommandFailure(CommandErrorKind.InvalidPayload, "device: required.");
        }

        var settings = options.Value;
        if (string.IsNullOrEmpty(device.Credential) || !settings.Credentials.TryGetValue(device.Credential, out var credential))
        {
            var known = settings.Credentials.Count == 0 ? "none are configured" : $"configured: {string.Join(", ", settings.Credentials.Keys.Order())}";
            throw new CommandFailure(CommandErrorKind.InvalidPayload,
                $"device.credential: this agent has no SNMP credential '{device.Credential}' ({known}); add it under {SnmpAgentOptions.SectionName}:Credentials.");
        }

        if (device.TimeoutMilliseconds is < 50 or > 60_000 || device.Retries is < 0 or > 10)
        {
            throw new CommandFailure(CommandErrorKind.InvalidPayload, "device: timeoutMilliseconds must be 50 to 60000 and retries 0 to 10.");
        }

        try
        {
            var endPoint = await SnmpAddress.ResolveAsync(device.Address, cancellationToken);
            return credential.ToTarget(endPoint) with
            {
                Timing = new SnmpClientOptions(
                    TimeSpan.FromMilliseconds(device.TimeoutMilliseconds ?? settings.TimeoutMilliseconds), device.Retries ?? settings.Retries),
            };
        }
        catch (FormatException exception)
        {
            throw new CommandFailure(CommandErrorKind.InvalidPayload, $"device.address: {exception.Message}");
        }
    }
}

using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Snmp;
using Serverless.RelayAgent.Snmp;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Handlers;

/// <summary><c>snmp.set</c>: one SET of all the bindings; an error-status fails the command naming the binding at fault.</summary>
public sealed class SnmpSetHandler(SnmpClient client, SnmpDevices devices) : ICommandHandler
{
    public string Kind => CommandKinds.SnmpSet;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.SnmpSetPayload);
        var bindings = CommandPayload.Each(payload.Bindings, "bindings", SnmpGetPayload.MaxOids, SnmpBindingText.Parse);
        var target = await devices.ResolveAsync(payload.Device, cancellationToken);
        var answered = await SnmpFailures.TranslateAsync(target, () => client.SetAsync(target, bindings, cancellationToken));
        return CommandPayload.Output(new SnmpBindingsOutput(SnmpBindingText.From(answered)), CommandPayload.Contracts.SnmpBindingsOutput);
    }
}

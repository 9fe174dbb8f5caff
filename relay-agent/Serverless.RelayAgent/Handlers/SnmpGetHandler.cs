using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Snmp;
using Serverless.RelayAgent.Snmp;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Handlers;

/// <summary><c>snmp.get</c>: one GET of the given OIDs; missing objects come back as <c>noSuchObject</c>/<c>noSuchInstance</c> bindings.</summary>
public sealed class SnmpGetHandler(SnmpClient client, SnmpDevices devices) : ICommandHandler
{
    public string Kind => CommandKinds.SnmpGet;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.SnmpGetPayload);
        var oids = CommandPayload.Each(payload.Oids, "oids", SnmpGetPayload.MaxOids, SnmpBindingText.ParseOid);
        var target = await devices.ResolveAsync(payload.Device, cancellationToken);
        var bindings = await SnmpFailures.TranslateAsync(target, () => client.GetAsync(target, oids, cancellationToken));
        return CommandPayload.Output(new SnmpBindingsOutput(SnmpBindingText.From(bindings)), CommandPayload.Contracts.SnmpBindingsOutput);
    }
}

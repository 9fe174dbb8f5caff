using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Snmp;
using Serverless.RelayAgent.Snmp;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Handlers;

/// <summary><c>snmp.walk</c>: the subtree under the root with GETBULK (GETNEXT for SNMPv1), up to a maximum number of bindings.</summary>
public sealed class SnmpWalkHandler(SnmpClient client, SnmpDevices devices) : ICommandHandler
{
    public string Kind => CommandKinds.SnmpWalk;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.SnmpWalkPayload);
        var root = CommandPayload.Each([payload.Root], "root", 1, SnmpBindingText.ParseOid)[0];
        var max = payload.MaxBindings ?? SnmpWalkPayload.Limit;
        if (max is < 1 or > SnmpWalkPayload.Limit)
        {
            throw CommandPayload.Invalid($"maxBindings: 1 to {SnmpWalkPayload.Limit}.");
        }

        var target = await devices.ResolveAsync(payload.Device, cancellationToken);
        var bindings = new List<VarBind>();
        var truncated = await SnmpFailures.TranslateAsync(target, async () =>
        {
            await foreach (var binding in client.WalkAsync(target, root, 25, cancellationToken))
            {
                if (bindings.Count == max)
                {
                    return true;
                }

                bindings.Add(binding);
            }

            return false;
        });
        return CommandPayload.Output(new SnmpBindingsOutput(SnmpBindingText.From(bindings), truncated), CommandPayload.Contracts.SnmpBindingsOutput);
    }
}

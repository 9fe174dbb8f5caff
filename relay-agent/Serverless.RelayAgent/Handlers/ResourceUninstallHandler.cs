using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Snmp;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>resource.uninstall</c>: the control plane has stopped managing a resource, so the agent lets go of what it holds
/// for it: the open libvirt connection to a host, or the SNMPv3 engine state learnt from an appliance. Holding nothing
/// is a success too: the command may be sent again after a lost answer.
/// </summary>
public sealed class ResourceUninstallHandler(LibvirtHosts hosts, SnmpClient snmp, ILogger<ResourceUninstallHandler> logger) : ICommandHandler
{
    public string Kind => CommandKinds.UninstallResource;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.ResourceUninstallPayload);
        if (string.IsNullOrEmpty(payload.ResourceId))
        {
            throw CommandPayload.Invalid("resourceId: required.");
        }

        if ((payload.LibvirtUri is null) == (payload.SnmpAddress is null))
        {
            throw CommandPayload.Invalid("libvirtUri, snmpAddress: give exactly one.");
        }

        var released = new List<string>();
        if (payload.LibvirtUri is { } uri)
        {
            if (await Task.Run(() => hosts.Release(uri), cancellationToken))
            {
                released.Add($"libvirt connection to {uri} closed");
            }
        }
        else
        {
            try
            {
                var endPoint = await SnmpAddress.ResolveAsync(payload.SnmpAddress!, cancellationToken);
                if (snmp.ForgetEngine(endPoint))
                {
                    released.Add($"SNMPv3 engine state of {endPoint} forgotten");
                }
            }
            catch (FormatException exception)
            {
                throw CommandPayload.Invalid($"snmpAddress: {exception.Message}");
            }
        }

        Logs.ResourceUninstalled(logger, payload.ResourceId, released.Count == 0 ? "nothing" : string.Join("; ", released));
        return CommandPayload.Output(new ResourceUninstallOutput(payload.ResourceId, released), CommandPayload.Contracts.ResourceUninstallOutput);
    }
}

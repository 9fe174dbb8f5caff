using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>instance.list</c>: every domain of a host and its state now, read from libvirt and changing nothing, so the control
/// plane can check its records against the host (before an unregistration, on reconcile).
/// </summary>
public sealed class InstanceListHandler(LibvirtHosts hosts) : ICommandHandler
{
    public string Kind => CommandKinds.ListInstances;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.InstanceListPayload);
        try
        {
            var instances = await Task.Run(
                () => hosts.ForCommand(payload.Uri).ListDomains().Select(d => new HostInstance(d.Name, InstanceStates.From(d.State))).ToList(),
                cancellationToken);
            return CommandPayload.Output(new InstanceListOutput(payload.Uri, instances), CommandPayload.Contracts.InstanceListOutput);
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }
    }
}

using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>instance.adopt</c>: marks a domain someone else made as the instance's by stamping the instance's id into its
/// metadata (running and persistent definitions), and reports its state, size and disk. Changes nothing else: the domain
/// keeps running as it was. Redelivered, it finds the id already there. A domain carrying another instance's id is refused.
/// </summary>
public sealed class InstanceAdoptHandler(LibvirtHosts hosts, ILogger<InstanceAdoptHandler> logger) : ICommandHandler
{
    public string Kind => CommandKinds.AdoptInstance;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.InstanceAdoptPayload);
        if (string.IsNullOrEmpty(payload.Name) || string.IsNullOrEmpty(payload.InstanceId))
        {
            throw CommandPayload.Invalid("name, instanceId: both required.");
        }

        var connection = hosts.ForCommand(payload.Uri);
        try
        {
            var output = await Task.Run(() => Adopt(connection, payload), cancellationToken);
            Logs.InstanceAdopted(logger, payload.Uri, payload.Name, payload.InstanceId, output.Adopted);
            return CommandPayload.Output(output, CommandPayload.Contracts.InstanceAdoptOutput);
        }
        catch (DomainNotFoundException)
        {
            throw new CommandFailure(CommandErrorKind.DeviceError, $"the host has no domain named '{payload.Name}'.");
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }
    }

    private static InstanceAdoptOutput Adopt(LibvirtConnection connection, InstanceAdoptPayload payload)
    {
        var xml = connection.GetDomainXml(payload.Name);
        var owner = DomainDefinition.InstanceIdOf(xml);
        if (owner is not null && owner != payload.InstanceId)
        {
            throw new CommandFailure(CommandErrorKind.DeviceError,
                $"the domain '{payload.Name}' is already instance {owner}; it is left as it is.");
        }

        if (owner is null)
        {
            connection.SetDomainMetadata(payload.Name, "hcp", DomainDefinition.Namespace.NamespaceName, DomainDefinition.MetadataElement(payload.InstanceId));
        }

        var domain = connection.GetDomain(payload.Name);
        var disk = DomainDefinition.FirstDiskFile(xml) is { } file ? connection.FindVolumeByPath(file) : null;
        return new InstanceAdoptOutput(
            payload.Name,
            InstanceStates.From(domain.State),
            domain.VirtualCpus,
            (int)Math.Min(int.MaxValue, domain.MaxMemoryKiB / 1024),
            disk is null ? null : new InstanceVolume(disk.Pool, disk.Name, disk.Path),
            Adopted: owner is null);
    }
}

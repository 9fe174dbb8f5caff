using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Contracts.Migrations;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Migration;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>instance.describe</c>: the domain's state, what its new host must offer (architecture, domain type, machine type,
/// CPU) and its disk, for a migration's preflight. Reads only.
/// </summary>
public sealed class InstanceDescribeHandler(LibvirtHosts hosts) : ICommandHandler
{
    public string Kind => CommandKinds.DescribeInstance;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.InstanceDescribePayload);
        var connection = hosts.ForCommand(payload.Uri);
        try
        {
            var output = await Task.Run(() => Describe(connection, payload), cancellationToken);
            return CommandPayload.Output(output, CommandPayload.Contracts.InstanceDescribeOutput);
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }
    }

    private static InstanceDescribeOutput Describe(LibvirtConnection connection, InstanceDescribePayload payload)
    {
        var xml = MigrationChecks.OwnedDomainXml(connection, payload.Name, payload.InstanceId)
            ?? throw new CommandFailure(CommandErrorKind.DeviceError, $"the host has no domain named '{payload.Name}'.");
        var state = InstanceStates.From(connection.GetDomain(payload.Name).State);
        return new InstanceDescribeOutput(payload.Name, state, DomainTraitsReader.Read(xml), DiskOf(connection, xml));
    }

    /// <summary>The domain's first disk when it is a volume of a storage pool.</summary>
    internal static InstanceDisk? DiskOf(LibvirtConnection connection, string domainXml)
    {
        if (DomainDefinition.FirstDiskFile(domainXml) is not { } file || connection.FindVolumeByPath(file) is not { } volume)
        {
            return null;
        }

        var info = new FileInfo(volume.Path);
        var isFile = info.Exists && !info.Attributes.HasFlag(FileAttributes.Directory);
        return new InstanceDisk(new InstanceVolume(volume.Pool, volume.Name, volume.Path), volume.Format, (long)volume.CapacityBytes, isFile ? info.Length : 0, isFile);
    }
}

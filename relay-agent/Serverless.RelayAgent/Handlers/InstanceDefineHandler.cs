using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>instance.define</c>: clones the image's base volume (<c>{name}.{format}</c> beside it) and defines the domain from
/// the instance's spec, not started. Each step finds what an earlier delivery did: the clone is made once, and a domain
/// of the name that carries the instance's id is the instance already defined. A domain of the name without it belongs to
/// someone else and is never touched.
/// </summary>
public sealed class InstanceDefineHandler(LibvirtHosts hosts, ILogger<InstanceDefineHandler> logger) : ICommandHandler
{
    public const int MaxVirtualCpus = 256;
    public const int MinMemoryMiB = 16;
    public const int MaxMemoryMiB = 4 * 1024 * 1024;

    public string Kind => CommandKinds.DefineInstance;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.InstanceDefinePayload);
        if (string.IsNullOrEmpty(payload.Name) || string.IsNullOrEmpty(payload.InstanceId))
        {
            throw CommandPayload.Invalid("name, instanceId: both required.");
        }

        if (payload.VirtualCpus is < 1 or > MaxVirtualCpus || payload.MemoryMiB is < MinMemoryMiB or > MaxMemoryMiB)
        {
            throw CommandPayload.Invalid($"virtualCpus must be 1 to {MaxVirtualCpus}, memoryMiB {MinMemoryMiB} to {MaxMemoryMiB}.");
        }

        var image = hosts.Options.BaseVolumeOf(payload.Image ?? string.Empty)
            ?? throw new CommandFailure(CommandErrorKind.DeviceError,
                $"this agent offers no image '{payload.Image}'; map it to a base volume in {LibvirtAgentOptions.SectionName}:Images on the agent host.");
        var connection = hosts.ForCommand(payload.Uri);
        try
        {
            var output = await Task.Run(() => Define(connection, payload, image.Pool, image.Volume), cancellationToken);
            Logs.InstanceDefined(logger, payload.Uri, payload.Name, output.Volume.Path, output.Created);
            return CommandPayload.Output(output, CommandPayload.Contracts.InstanceDefineOutput);
        }
        catch (StorageNotFoundException exception)
        {
            throw new CommandFailure(CommandErrorKind.DeviceError, $"image '{payload.Image}' is not on this host ({image.Pool}/{image.Volume}): {exception.Message}");
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }
    }

    private InstanceDefineOutput Define(LibvirtConnection connection, InstanceDefinePayload payload, string pool, string baseVolume)
    {
        var existing = ExistingOwner(connection, payload.Name);
        if (existing.Found && existing.InstanceId != payload.InstanceId)
        {
            throw new CommandFailure(CommandErrorKind.DeviceError,
                $"the host already has a domain named '{payload.Name}' that is not instance {payload.InstanceId}; it is left as it is.");
        }

        var source = connection.FindVolume(pool, baseVolume) ?? throw new CommandFailure(CommandErrorKind.DeviceError,
            $"image '{payload.Image}' is not on this host: pool '{pool}' has no volume '{baseVolume}'.");
        var disk = connection.CloneVolume(pool, baseVolume, $"{payload.Name}.{(source.Format == "raw" ? "img" : source.Format)}");
        var volume = new InstanceVolume(disk.Pool, disk.Name, disk.Path);
        if (existing.Found)
        {
            return new InstanceDefineOutput(payload.Name, InstanceStates.From(connection.GetDomain(payload.Name).State), volume, Created: false);
        }

        var defined = connection.DefineDomain(DomainDefinition.Build(payload, connection.GetCapabilities(), disk, hosts.Options.Network));
        return new InstanceDefineOutput(payload.Name, InstanceStates.From(defined.State), volume, Created: true);
    }

    /// <summary>Whether a domain of the name exists, and whose it is.</summary>
    internal static (bool Found, string? InstanceId) ExistingOwner(LibvirtConnection connection, string name)
    {
        try
        {
            return (true, DomainDefinition.InstanceIdOf(connection.GetDomainXml(name)));
        }
        catch (DomainNotFoundException)
        {
            return (false, null);
        }
    }
}

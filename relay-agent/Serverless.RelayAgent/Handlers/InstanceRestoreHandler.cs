using System.Diagnostics;
using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Contracts.Migrations;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Migration;
using Serverless.RelayAgent.Uplink;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>instance.restore</c> at a migration's target: makes the disk volume in the image's pool (its content from the disk
/// blob when the disk moved, else empty at the source's capacity), downloads the state blob and checks its SHA-256,
/// points the saved definition's disk at the new volume, restores the domain paused and defines it persistently, then
/// deletes the downloaded file. A test copy is restored with every network interface's link down and left transient, so
/// destroying it leaves no definition. Sent again, a domain of the instance already restored (paused or running) is the answer.
/// What it made before failing, the control plane removes with <c>instance.terminate</c>.
/// </summary>
public sealed class InstanceRestoreHandler(
    LibvirtHosts hosts, MigrationFiles files, BlockBlobTransfer transfer, UplinkClient uplink, ILogger<InstanceRestoreHandler> logger) : ICommandHandler
{
    public string Kind => CommandKinds.RestoreInstance;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.InstanceRestorePayload);
        if (payload.State is null || payload.Tuning is null)
        {
            throw CommandPayload.Invalid("state, tuning: both required.");
        }

        var connection = hosts.ForCommand(payload.Uri);
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (Restored(connection, payload) is { } already)
            {
                return CommandPayload.Output(already, CommandPayload.Contracts.InstanceRestoreOutput);
            }

            var downloaded = 0L;
            var volume = payload.Disk is null ? null : await MakeDiskAsync(connection, payload, cancellationToken);
            if (payload.DiskBlob is not null)
            {
                downloaded += payload.DiskBlob.Bytes;
            }

            var image = files.DownloadedState(payload.MigrationId);
            downloaded += await transfer.DownloadAsync(image, payload.State, payload.Tuning, Grant(payload, TransferArtifact.State), cancellationToken);
            try
            {
                await Task.Run(() => Restore(connection, payload, image, volume), cancellationToken);
            }
            finally
            {
                File.Delete(image);
            }

            var (interfaces, down) = DomainTraitsReader.Links(connection.GetDomainXml(payload.Name));
            var output = new InstanceRestoreOutput(payload.Name, InstanceStates.From(connection.GetDomain(payload.Name).State), volume, downloaded,
                Stopwatch.GetElapsedTime(started).TotalSeconds, down, interfaces);
            Logs.InstanceRestored(logger, payload.Uri, payload.Name, payload.MigrationId, downloaded, output.Seconds);
            return CommandPayload.Output(output, CommandPayload.Contracts.InstanceRestoreOutput);
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }
    }

    private static InstanceRestoreOutput? Restored(LibvirtConnection connection, InstanceRestorePayload payload)
    {
        if (MigrationChecks.OwnedDomainXml(connection, payload.Name, payload.InstanceId) is not { } xml)
        {
            return null;
        }

        var state = connection.GetDomain(payload.Name).State;
        if (state is not (DomainState.Running or DomainState.Blocked or DomainState.Paused))
        {
            return null;
        }

        var disk = InstanceDescribeHandler.DiskOf(connection, xml);
        var (interfaces, down) = DomainTraitsReader.Links(xml);
        return new InstanceRestoreOutput(payload.Name, InstanceStates.From(state), disk?.Volume, 0, 0, down, interfaces);
    }

    /// <summary>The instance's disk in the pool of its image's base volume: downloaded into the volume's file, or made empty.</summary>
    private async Task<InstanceVolume> MakeDiskAsync(LibvirtConnection connection, InstanceRestorePayload payload, CancellationToken cancellationToken)
    {
        var source = payload.Disk!;
        var pool = (payload.Image is { } image ? hosts.Options.BaseVolumeOf(image)?.Pool : null)
            ?? throw new CommandFailure(CommandErrorKind.DeviceError,
                $"the agent maps no image '{payload.Image}' to a storage pool ({LibvirtAgentOptions.SectionName}:Images), so the disk has nowhere to go.");
        var volume = connection.CreateVolume(pool, source.Volume.Name, source.Format, (ulong)source.CapacityBytes);
        if (payload.DiskBlob is { } blob)
        {
            if (!File.Exists(volume.Path))
            {
                throw new CommandFailure(CommandErrorKind.DeviceError, $"volume '{pool}/{volume.Name}' is not a file on this host; the disk cannot be written to it.");
            }

            await transfer.DownloadAsync(volume.Path, blob, payload.Tuning, Grant(payload, TransferArtifact.Disk), cancellationToken);
        }

        return new InstanceVolume(volume.Pool, volume.Name, volume.Path);
    }

    private static void Restore(LibvirtConnection connection, InstanceRestorePayload payload, string image, InstanceVolume? volume)
    {
        var saved = connection.GetSaveImageXml(image);
        if (DomainDefinition.InstanceIdOf(saved) != payload.InstanceId)
        {
            throw new CommandFailure(CommandErrorKind.DeviceError, $"the downloaded state is not instance {payload.InstanceId}'s; it was not restored.");
        }

        var adjusted = volume is not null && DomainDefinition.FirstDiskFile(saved) != volume.Path ? DomainTraitsReader.WithFirstDisk(saved, volume.Path) : saved;
        if (payload.TestCopy)
        {
            adjusted = DomainTraitsReader.WithLinksDown(adjusted);
        }

        if (!ReferenceEquals(adjusted, saved))
        {
            connection.DefineSaveImageXml(image, adjusted);
        }

        connection.RestoreDomainPaused(image);

        // A restored domain is transient; the instance's stop and start need it defined, as a launch defines it. A test
        // copy stays transient: destroying it is all its removal takes.
        if (!payload.TestCopy)
        {
            connection.DefineDomain(connection.GetDomainXml(payload.Name));
        }
    }

    private Func<CancellationToken, Task<BlobAccessGrant>> Grant(InstanceRestorePayload payload, TransferArtifact artifact)
    {
        var request = new BlobAccessRequest(SchemaVersions.Current, payload.MigrationId, artifact, BlobAccess.Read);
        return ct => uplink.RequestBlobAccessAsync(request, ct);
    }
}

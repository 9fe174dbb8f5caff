using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Migrations;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Migration;
using Serverless.RelayAgent.Uplink;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>instance.upload</c>: sends the migration's saved state file, or the instance's disk volume file, to its block blob
/// with a write SAS the control plane grants for that blob. Resumable (see <see cref="BlockBlobTransfer"/>): a repeat
/// sends only the blocks the blob does not hold yet.
/// </summary>
public sealed class InstanceUploadHandler(
    LibvirtHosts hosts, MigrationFiles files, BlockBlobTransfer transfer, UplinkClient uplink, ILogger<InstanceUploadHandler> logger) : ICommandHandler
{
    public string Kind => CommandKinds.UploadInstance;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.InstanceUploadPayload);
        var path = payload.Artifact == TransferArtifact.State ? StateFile(payload) : DiskFile(payload);
        var request = new BlobAccessRequest(SchemaVersions.Current, payload.MigrationId, payload.Artifact, BlobAccess.Write);
        var output = await transfer.UploadAsync(payload.Artifact, path, payload.Tuning ?? throw CommandPayload.Invalid("tuning: required."),
            ct => uplink.RequestBlobAccessAsync(request, ct), cancellationToken);
        Logs.InstanceUploaded(logger, payload.Name, payload.MigrationId, payload.Artifact.ToString(), output.Bytes, output.BlocksSent, output.BlocksKept, output.Seconds);
        return CommandPayload.Output(output, CommandPayload.Contracts.TransferOutput);
    }

    private string StateFile(InstanceUploadPayload payload)
    {
        var saved = files.SavedState(payload.MigrationId);
        return File.Exists(saved)
            ? saved
            : throw new CommandFailure(CommandErrorKind.DeviceError, $"no saved state of migration {payload.MigrationId} is on this host.");
    }

    /// <summary>The disk volume's file, found through libvirt: a command names a volume, never a path to read.</summary>
    private string DiskFile(InstanceUploadPayload payload)
    {
        var volume = payload.Volume ?? throw CommandPayload.Invalid("volume: required for the disk.");
        var connection = hosts.ForCommand(payload.Uri);
        StorageVolumeInfo? found;
        try
        {
            found = connection.FindVolume(volume.Pool, volume.Name);
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }

        return found is { } disk && File.Exists(disk.Path)
            ? disk.Path
            : throw new CommandFailure(CommandErrorKind.DeviceError, $"volume '{volume.Pool}/{volume.Name}' is not a file on this host; there is no disk to send.");
    }
}

using Serverless.Contracts.Instances;

namespace Serverless.Contracts.Migrations;

/// <summary>
/// <c>instance.upload</c>: sends the saved state file or the disk volume of a migration to its block blob. The agent asks
/// the control plane for a write SAS of that one blob (none travels in the command). Resumable: sent again, it reads the
/// blob's uncommitted blocks and sends only those missing or different.
/// </summary>
/// <param name="Uri">The host's libvirt URI (to find the volume).</param>
/// <param name="Name">The domain's name.</param>
/// <param name="InstanceId">The instance's id.</param>
/// <param name="MigrationId">The migration, for the state file and the SAS.</param>
/// <param name="Artifact">What to send.</param>
/// <param name="Volume">The disk volume, for <see cref="TransferArtifact.Disk"/>.</param>
/// <param name="Tuning">Block size and concurrency.</param>
public sealed record InstanceUploadPayload(
    string Uri, string Name, string InstanceId, string MigrationId, TransferArtifact Artifact, InstanceVolume? Volume, TransferTuning Tuning);

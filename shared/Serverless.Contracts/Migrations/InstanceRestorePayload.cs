using System.Text.Json.Serialization;

namespace Serverless.Contracts.Migrations;

/// <summary>
/// <c>instance.restore</c> at a migration's target: downloads the state (and disk) blobs with read SAS it asks the control
/// plane for, checks each SHA-256, makes the disk volume in the image's pool, points the saved definition at it and
/// restores the domain paused, defined persistently. A test copy is restored with every network interface's link down
/// and is not defined: destroying it leaves nothing. Sent again, it finds the domain it restored.
/// </summary>
/// <param name="Uri">The target host's libvirt URI.</param>
/// <param name="Name">The domain's name.</param>
/// <param name="InstanceId">The instance's id.</param>
/// <param name="MigrationId">The migration, for the SAS.</param>
/// <param name="State">The state blob's size and digest.</param>
/// <param name="Disk">The source disk; its file comes from the disk blob when <see cref="InstanceDisk.IsFile"/>, else an empty volume of its capacity is made.</param>
/// <param name="DiskBlob">The disk blob's size and digest, when the disk moved.</param>
/// <param name="Image">The instance's image, whose base volume's pool takes the disk.</param>
/// <param name="Tuning">Block size and concurrency of the download.</param>
/// <param name="TestCopy">A test migration's copy: network detached, transient.</param>
public sealed record InstanceRestorePayload(
    string Uri, string Name, string InstanceId, string MigrationId, BlobDigest State, InstanceDisk? Disk, BlobDigest? DiskBlob, string? Image,
    TransferTuning Tuning, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool TestCopy = false);

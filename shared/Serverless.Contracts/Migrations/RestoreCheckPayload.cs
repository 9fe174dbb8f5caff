using System.Text.Json.Serialization;

namespace Serverless.Contracts.Migrations;

/// <summary>
/// <c>instance.restoreCheck</c>: asks a migration's target host whether it could restore a domain with these traits and
/// disk; changes nothing.
/// </summary>
/// <param name="Uri">The target host's libvirt URI.</param>
/// <param name="Name">The domain's name.</param>
/// <param name="InstanceId">The instance's id: a domain of the name that is someone else's is a reason to refuse.</param>
/// <param name="Traits">The source domain's traits.</param>
/// <param name="Image">The instance's image: its disk goes to the storage pool of the image's base volume at the target; null for an adopted instance.</param>
/// <param name="DiskBytes">What the disk takes (its capacity), which the target pool must have free; 0 when it has none.</param>
/// <param name="DiskVolume">The disk volume's name, which must be free in the target pool; null when it has none.</param>
/// <param name="TestCopy">For a test migration: the copy would run beside the source, so a domain of the name on the host, the instance's own included, is a reason to refuse.</param>
public sealed record RestoreCheckPayload(string Uri, string Name, string InstanceId, DomainTraits Traits, string? Image, long DiskBytes, string? DiskVolume, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool TestCopy = false);

using Serverless.Contracts.Instances;

namespace Serverless.Contracts.Migrations;

/// <summary>An instance's disk as its host holds it.</summary>
/// <param name="Volume">The volume in its storage pool.</param>
/// <param name="Format">The volume's format (<c>qcow2</c>, <c>raw</c>).</param>
/// <param name="CapacityBytes">Its size as the guest sees it.</param>
/// <param name="FileBytes">The size of the file that holds it, what a transfer moves; 0 when <paramref name="IsFile"/> is false.</param>
/// <param name="IsFile">Whether the volume is a regular file on the host; the test driver's volumes are not, so nothing of them moves.</param>
public sealed record InstanceDisk(InstanceVolume Volume, string Format, long CapacityBytes, long FileBytes, bool IsFile);

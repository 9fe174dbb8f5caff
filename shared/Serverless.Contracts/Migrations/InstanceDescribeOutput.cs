using Serverless.Contracts.Instances;

namespace Serverless.Contracts.Migrations;

/// <summary>Output of <c>instance.describe</c>.</summary>
/// <param name="Name">The domain's name.</param>
/// <param name="State">Its state now.</param>
/// <param name="Traits">What its new host must offer.</param>
/// <param name="Disk">Its first disk when that is a volume of a storage pool; null otherwise.</param>
public sealed record InstanceDescribeOutput(string Name, InstanceState State, DomainTraits Traits, InstanceDisk? Disk);

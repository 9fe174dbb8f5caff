using Serverless.Contracts.Instances;

namespace Serverless.Contracts.Migrations;

/// <summary>
/// <c>instance.release</c> at a migration's source once the target runs the instance: deletes the state file, undefines
/// the saved domain and deletes its disk volume. A domain of the name that runs (a copy restored on the same hypervisor)
/// is not the saved source and is left alone.
/// </summary>
/// <param name="Uri">The source host's libvirt URI.</param>
/// <param name="Name">The domain's name.</param>
/// <param name="InstanceId">The instance's id.</param>
/// <param name="MigrationId">The migration whose state file it is.</param>
/// <param name="Volume">The source disk volume, to delete.</param>
public sealed record InstanceReleasePayload(string Uri, string Name, string InstanceId, string MigrationId, InstanceVolume? Volume);

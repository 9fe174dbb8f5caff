namespace Serverless.Contracts.Migrations;

/// <summary>
/// <c>instance.save</c>: saves a (quiesced) domain's memory to a state file in the agent's state folder and stops it;
/// the disk stays as it is. Sent again, it finds the saved file and saves nothing twice.
/// </summary>
/// <param name="Uri">The host's libvirt URI.</param>
/// <param name="Name">The domain's name.</param>
/// <param name="InstanceId">The instance's id, checked against the domain's metadata.</param>
/// <param name="MigrationId">The migration the state file belongs to (its file name).</param>
public sealed record InstanceSavePayload(string Uri, string Name, string InstanceId, string MigrationId);

using System.Text.Json.Serialization;

namespace Serverless.Contracts.Migrations;

/// <summary>
/// <c>instance.revert</c> at a migration's source: the fallback. Restores the domain from the state file this host saved,
/// running, and deletes the file; a domain already running again (or never saved) is left running. A test migration
/// resumes its source with <see cref="KeepStateFile"/> so the file can still be uploaded, then sends it again without to
/// delete the file.
/// </summary>
/// <param name="Uri">The source host's libvirt URI.</param>
/// <param name="Name">The domain's name.</param>
/// <param name="InstanceId">The instance's id.</param>
/// <param name="MigrationId">The migration whose state file it is.</param>
/// <param name="KeepStateFile">Leave the state file in place after the domain runs again.</param>
public sealed record InstanceRevertPayload(string Uri, string Name, string InstanceId, string MigrationId, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool KeepStateFile = false);

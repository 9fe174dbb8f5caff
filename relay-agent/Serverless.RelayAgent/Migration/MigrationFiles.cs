using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Libvirt;

namespace Serverless.RelayAgent.Migration;

/// <summary>
/// The files a migration keeps in the agent's state folder, named by migration id (which is checked to be a plain name,
/// so a command can never point the agent at another path).
/// </summary>
public sealed class MigrationFiles(LibvirtHosts hosts)
{
    /// <summary>The source's saved state, kept until the target runs the instance or the source is reverted.</summary>
    public string SavedState(string migrationId) => PathOf(migrationId, "save");

    /// <summary>A save under way: renamed to <see cref="SavedState"/> once libvirt finished writing it.</summary>
    public string PartialSave(string migrationId) => PathOf(migrationId, "save.partial");

    /// <summary>The target's download of the state, deleted once restored.</summary>
    public string DownloadedState(string migrationId) => PathOf(migrationId, "restore");

    private string PathOf(string migrationId, string extension)
    {
        if (string.IsNullOrEmpty(migrationId) || migrationId.Length > 64 || !migrationId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw CommandPayload.Invalid("migrationId: 1 to 64 letters, digits, '-' or '_'.");
        }

        var folder = hosts.Options.StateFolder;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{migrationId}.{extension}");
    }
}

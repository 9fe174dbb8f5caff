using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.RelayAgent.Configuration;

/// <summary>
/// The agent's JSON configuration file, changed atomically (write beside it, then rename) so a crash never leaves half a
/// file. It holds the credential: a new file is readable by its owner only; an existing one keeps its owner's and
/// group's read access (the service's group reads it when root owns it) and loses anything more.
/// </summary>
public static class AgentConfigFile
{
    public const string DefaultPath = "/etc/relay-agent/agent.json";

    public static async Task UpdateAsync(string path, Action<JsonObject> change, CancellationToken cancellationToken = default)
    {
        var root = File.Exists(path) ? JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken)) as JsonObject ?? [] : [];
        change(root);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".new";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            fileOptions.UnixCreateMode = File.Exists(path) ? ownerOnly | (File.GetUnixFileMode(path) & UnixFileMode.GroupRead) : ownerOnly;
        }

        File.Delete(temporary);
        await using (var file = new FileStream(temporary, fileOptions))
        await using (var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true }))
        {
            root.WriteTo(writer);
            await writer.FlushAsync(cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The object at a configuration path such as <c>RelayAgent:Libvirt</c>, created when missing.</summary>
    public static JsonObject Section(JsonObject root, IEnumerable<string> path)
    {
        var current = root;
        foreach (var name in path)
        {
            if (current[name] is not JsonObject next)
            {
                next = [];
                current[name] = next;
            }

            current = next;
        }

        return current;
    }
}

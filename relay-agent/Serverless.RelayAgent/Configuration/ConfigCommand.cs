using System.Text.Json;

namespace Serverless.RelayAgent.Configuration;

/// <summary>
/// <c>relay-agent config set|unset</c>: changes settings in the agent's configuration file by their configuration
/// path, the way the install script adds libvirt URIs; other settings are kept. Exit 1 on a file error, 2 on usage.
/// </summary>
public static class ConfigCommand
{
    public const string Usage = """
        Usage: relay-agent config set [--config FILE] KEY=VALUE ...
               relay-agent config unset [--config FILE] KEY ...

          KEY is a configuration path, for example RelayAgent:Libvirt:Uris:0 or RelayAgent:HeartbeatIntervalSeconds;
          unset removes the setting or the whole section. FILE defaults to /etc/relay-agent/agent.json. Secrets set
          this way end up in the file: prefer enrol for the credential and the Service Bus connection.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args is not ["set" or "unset", ..])
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var set = args[0] == "set";
        var path = AgentConfigFile.DefaultPath;
        var changes = new List<(string[] Key, string? Value)>();
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Count)
            {
                path = Path.GetFullPath(args[++i]);
                continue;
            }

            var separator = args[i].IndexOf('=', StringComparison.Ordinal);
            var key = set ? (separator > 0 ? args[i][..separator] : null) : args[i];
            var parts = key?.Split(':');
            if (parts is null || parts.Any(p => p.Length == 0) || (!set && separator >= 0))
            {
                await error.WriteLineAsync($"config: '{args[i]}' is not {(set ? "KEY=VALUE" : "a KEY")} (KEY like RelayAgent:Libvirt:Uris:0)\n{Usage}");
                return 2;
            }

            changes.Add((parts, set ? args[i][(separator + 1)..] : null));
        }

        if (changes.Count == 0)
        {
            await error.WriteLineAsync($"config: nothing to {args[0]}\n{Usage}");
            return 2;
        }

        try
        {
            await AgentConfigFile.UpdateAsync(path, root =>
            {
                foreach (var (key, value) in changes)
                {
                    var section = AgentConfigFile.Section(root, key[..^1]);
                    if (value is null)
                    {
                        section.Remove(key[^1]);
                    }
                    else
                    {
                        section[key[^1]] = value;
                    }
                }
            });
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            await error.WriteLineAsync($"config: cannot update {path}: {exception.Message}");
            return 1;
        }

        await output.WriteLineAsync($"config: {(set ? "set" : "unset")} {string.Join(", ", changes.Select(c => string.Join(':', c.Key)))} in {path}");
        return 0;
    }
}

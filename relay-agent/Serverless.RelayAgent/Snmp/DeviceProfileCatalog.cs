using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Serverless.Contracts.Commands;
using Serverless.RelayAgent.Handlers;
using Serverless.Snmp.Profiles;

namespace Serverless.RelayAgent.Snmp;

/// <summary>
/// The device profiles this agent knows: the shipped ones and the operator's folder, loaded once at start. An invalid
/// profile stops the agent with the file and field named, rather than failing a command later.
/// </summary>
public sealed class DeviceProfileCatalog
{
    private readonly FrozenDictionary<string, DeviceProfile> _profiles;

    public DeviceProfileCatalog(IOptions<SnmpAgentOptions> options)
    {
        var profiles = DeviceProfile.ReadShipped().ToDictionary(p => p.Name, StringComparer.Ordinal);
        if (options.Value.ProfilesPath is { Length: > 0 } folder)
        {
            foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                var profile = DeviceProfile.ReadFile(file);
                profiles[profile.Name] = profile;
            }
        }

        _profiles = profiles.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<string> Names => _profiles.Keys.Order(StringComparer.Ordinal);

    public DeviceProfile Get(string? name, string field) =>
        name is not null && _profiles.TryGetValue(name, out var profile)
            ? profile
            : throw new CommandFailure(CommandErrorKind.InvalidPayload, $"{field}: this agent has no device profile '{name}' (it has {string.Join(", ", Names)}).");
}

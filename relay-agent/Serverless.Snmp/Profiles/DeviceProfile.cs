using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Snmp.Profiles;

/// <summary>
/// What the agent's abstract actions mean for one kind of device: the OIDs to read when verifying it, the sets that
/// activate and deactivate a member, how to read a member's health and load. OIDs may contain <c>{member}</c> for
/// the member's index arcs. Loaded from JSON and validated, with errors that name the field.
/// </summary>
public sealed record DeviceProfile(
    string Name,
    string Description,
    IReadOnlyList<OidTemplate> VerifyRead,
    IReadOnlyList<OidTemplate> VerifyWritable,
    IReadOnlyList<ProfileSet> Activate,
    IReadOnlyList<ProfileSet> Deactivate,
    IReadOnlyList<HealthCheck> Health,
    IReadOnlyList<LoadMetric> Load)
{
    public const int SchemaVersion = 1;

    /// <summary>The profiles shipped with the agent, from the <c>Profiles</c> folder beside the library.</summary>
    public static IReadOnlyList<DeviceProfile> ReadShipped() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Profiles"), "*.json").Order(StringComparer.Ordinal).Select(ReadFile).ToList();

    public static DeviceProfile ReadFile(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (DeviceProfileException exception)
        {
            throw new DeviceProfileException($"{Path.GetFileName(path)}: {exception.Message}");
        }
    }

    public static DeviceProfile Parse(string json)
    {
        ProfileFile file;
        try
        {
            file = JsonSerializer.Deserialize(json, ProfileJsonContext.Default.ProfileFile) ?? throw new DeviceProfileException("the profile is null");
        }
        catch (JsonException exception)
        {
            throw new DeviceProfileException($"{(exception.Path is { Length: > 1 } path ? path[2..] : "profile")}: {exception.Message}");
        }

        if (file.SchemaVersion != SchemaVersion)
        {
            throw new DeviceProfileException($"schemaVersion: must be {SchemaVersion}");
        }

        if (string.IsNullOrWhiteSpace(file.Name) || file.Name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            throw new DeviceProfileException("name: lowercase letters, digits and '-' only");
        }

        var verify = file.Verify ?? throw new DeviceProfileException("verify: required");
        var profile = new DeviceProfile(
            file.Name,
            file.Description ?? string.Empty,
            Templates(verify.Read, "verify.read", required: true),
            Templates(verify.Writable, "verify.writable", required: false),
            Sets(file.Activate, "activate"),
            Sets(file.Deactivate, "deactivate"),
            (file.Health ?? []).Select((h, i) => new HealthCheck(
                Required(h.Name, $"health[{i}].name"),
                OidTemplate.Parse(Required(h.Oid, $"health[{i}].oid"), $"health[{i}].oid"),
                h.Healthy is { Count: > 0 } healthy ? healthy : throw new DeviceProfileException($"health[{i}].healthy: list the values that mean healthy"))).ToList(),
            (file.Load ?? []).Select((l, i) => new LoadMetric(
                Required(l.Metric, $"load[{i}].metric"),
                OidTemplate.Parse(Required(l.Oid, $"load[{i}].oid"), $"load[{i}].oid"),
                l.Kind is "gauge" or "counter" ? l.Kind : throw new DeviceProfileException($"load[{i}].kind: 'gauge' or 'counter'"),
                l.Scale ?? 1.0)).ToList());

        var activateOids = profile.Activate.Select(s => s.Oid.Text).ToHashSet(StringComparer.Ordinal);
        if (!activateOids.SetEquals(profile.Deactivate.Select(s => s.Oid.Text)))
        {
            throw new DeviceProfileException("deactivate: must set the same OIDs as activate");
        }

        return profile;
    }

    private static List<OidTemplate> Templates(List<string>? oids, string path, bool required)
    {
        if (oids is null or { Count: 0 })
        {
            return required ? throw new DeviceProfileException($"{path}: list at least one OID") : [];
        }

        return oids.Select((oid, i) => OidTemplate.Parse(oid, $"{path}[{i}]")).ToList();
    }

    private static List<ProfileSet> Sets(List<SetEntry>? entries, string path)
    {
        if (entries is null or { Count: 0 })
        {
            throw new DeviceProfileException($"{path}: list at least one set");
        }

        return entries.Select((entry, i) =>
        {
            var oid = OidTemplate.Parse(Required(entry.Oid, $"{path}[{i}].oid"), $"{path}[{i}].oid");
            var type = Required(entry.Type, $"{path}[{i}].type");
            var value = Required(entry.Value, $"{path}[{i}].value");
            try
            {
                return new ProfileSet(oid, SnmpValues.Parse(type, value));
            }
            catch (FormatException exception)
            {
                throw new DeviceProfileException($"{path}[{i}]: {exception.Message}");
            }
        }).ToList();
    }

    private static string Required(string? value, string path) =>
        string.IsNullOrWhiteSpace(value) ? throw new DeviceProfileException($"{path}: required") : value;

    internal sealed class ProfileFile
    {
        public int SchemaVersion { get; set; }

        public string? Name { get; set; }

        public string? Description { get; set; }

        public VerifyEntry? Verify { get; set; }

        public List<SetEntry>? Activate { get; set; }

        public List<SetEntry>? Deactivate { get; set; }

        public List<HealthEntry>? Health { get; set; }

        public List<LoadEntry>? Load { get; set; }
    }

    internal sealed class VerifyEntry
    {
        public List<string>? Read { get; set; }

        public List<string>? Writable { get; set; }
    }

    internal sealed class SetEntry
    {
        public string? Oid { get; set; }

        public string? Type { get; set; }

        public string? Value { get; set; }
    }

    internal sealed class HealthEntry
    {
        public string? Name { get; set; }

        public string? Oid { get; set; }

        public List<string>? Healthy { get; set; }
    }

    internal sealed class LoadEntry
    {
        public string? Metric { get; set; }

        public string? Oid { get; set; }

        public string? Kind { get; set; }

        public double? Scale { get; set; }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(DeviceProfile.ProfileFile))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;

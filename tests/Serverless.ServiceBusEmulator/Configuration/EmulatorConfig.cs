using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;

namespace Serverless.ServiceBusEmulator.Configuration;

/// <summary>
/// The emulator's configuration, read from a file in the shape of the official emulator's <c>Config.json</c>
/// (<c>UserConfig.Namespaces[].Queues[].Properties</c>), extended with <c>SharedAccessPolicies</c> on the namespace and on
/// each queue so that per-entity credentials can be tested.
/// </summary>
public sealed record EmulatorConfig(string NamespaceName, IReadOnlyList<SharedAccessPolicy> NamespacePolicies, IReadOnlyList<QueueSettings> Queues)
{
    /// <summary>The official emulator's well-known development key name and key; connection strings written for it work here.</summary>
    public static readonly SharedAccessPolicy DevelopmentPolicy = new("RootManageSharedAccessKey", "SAS_KEY_VALUE", AccessRights.Manage);

    public static EmulatorConfig Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (IOException exception)
        {
            throw new EmulatorConfigException($"cannot read config file '{path}': {exception.Message}");
        }

        return Parse(json);
    }

    public static EmulatorConfig Parse(string json)
    {
        ConfigFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, ConfigJsonContext.Default.ConfigFile);
        }
        catch (JsonException exception)
        {
            throw new EmulatorConfigException($"config is not valid JSON at {exception.Path}: {exception.Message}");
        }

        var namespaces = file?.UserConfig?.Namespaces ?? throw new EmulatorConfigException("UserConfig.Namespaces is required");
        if (namespaces.Count != 1)
        {
            throw new EmulatorConfigException("UserConfig.Namespaces must hold exactly one namespace, as in the official emulator");
        }

        var ns = namespaces[0];
        const string nsPath = "UserConfig.Namespaces[0]";
        if (string.IsNullOrWhiteSpace(ns.Name))
        {
            throw new EmulatorConfigException($"{nsPath}.Name is required");
        }

        if (ns.Topics is { Count: > 0 })
        {
            throw new EmulatorConfigException($"{nsPath}.Topics: topics are not supported by this emulator; use queues");
        }

        var namespacePolicies = ns.SharedAccessPolicies is null
            ? [DevelopmentPolicy]
            : ParsePolicies(ns.SharedAccessPolicies, $"{nsPath}.SharedAccessPolicies");

        var queues = new List<QueueSettings>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (index, queue) in (ns.Queues ?? []).Index())
        {
            var path = $"{nsPath}.Queues[{index}]";
            if (string.IsNullOrWhiteSpace(queue.Name) || queue.Name.Contains('/', StringComparison.Ordinal) || queue.Name.Contains('$', StringComparison.Ordinal))
            {
                throw new EmulatorConfigException($"{path}.Name is required and may not contain '/' or '$'");
            }

            if (!names.Add(queue.Name))
            {
                throw new EmulatorConfigException($"{path}.Name: queue '{queue.Name}' is declared twice");
            }

            queues.Add(ParseQueue(queue, path));
        }

        return new EmulatorConfig(ns.Name, namespacePolicies, queues);
    }

    private static QueueSettings ParseQueue(QueueEntry queue, string path)
    {
        var properties = queue.Properties ?? new QueueProperties();
        var propertiesPath = $"{path}.Properties";
        var maxDeliveryCount = properties.MaxDeliveryCount ?? 10;
        if (maxDeliveryCount < 1)
        {
            throw new EmulatorConfigException($"{propertiesPath}.MaxDeliveryCount must be at least 1");
        }

        if (!string.IsNullOrEmpty(properties.ForwardTo) || !string.IsNullOrEmpty(properties.ForwardDeadLetteredMessagesTo))
        {
            throw new EmulatorConfigException($"{propertiesPath}: ForwardTo and ForwardDeadLetteredMessagesTo are not supported by this emulator; leave them empty");
        }

        var maxSizeMb = properties.MaxSizeInMegabytes ?? 100;
        var maxMessageKb = properties.MaxMessageSizeInKilobytes ?? 256;
        if (maxSizeMb < 1 || maxMessageKb < 1 || maxMessageKb > 100 * 1024)
        {
            throw new EmulatorConfigException($"{propertiesPath}: MaxSizeInMegabytes must be at least 1 and MaxMessageSizeInKilobytes between 1 and 102400");
        }

        return new QueueSettings(
            queue.Name!,
            properties.RequiresSession ?? false,
            Duration(properties.LockDuration, "PT1M", $"{propertiesPath}.LockDuration", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)),
            maxDeliveryCount,
            Duration(properties.DefaultMessageTimeToLive, "PT1H", $"{propertiesPath}.DefaultMessageTimeToLive", TimeSpan.FromSeconds(1), TimeSpan.MaxValue),
            properties.DeadLetteringOnMessageExpiration ?? false,
            properties.RequiresDuplicateDetection ?? false,
            Duration(properties.DuplicateDetectionHistoryTimeWindow, "PT20S", $"{propertiesPath}.DuplicateDetectionHistoryTimeWindow", TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            maxSizeMb * 1024L * 1024L,
            maxMessageKb * 1024,
            queue.SharedAccessPolicies is null ? [] : ParsePolicies(queue.SharedAccessPolicies, $"{path}.SharedAccessPolicies"));
    }

    private static TimeSpan Duration(string? value, string fallback, string path, TimeSpan min, TimeSpan max)
    {
        TimeSpan duration;
        try
        {
            duration = XmlConvert.ToTimeSpan(string.IsNullOrWhiteSpace(value) ? fallback : value);
        }
        catch (FormatException)
        {
            throw new EmulatorConfigException($"{path}: '{value}' is not an ISO 8601 duration such as PT30S");
        }

        if (duration < min || duration > max)
        {
            throw new EmulatorConfigException($"{path}: {duration} is outside {min}..{max}");
        }

        return duration;
    }

    private static List<SharedAccessPolicy> ParsePolicies(List<PolicyEntry> entries, string path)
    {
        var policies = new List<SharedAccessPolicy>();
        foreach (var (index, entry) in entries.Index())
        {
            var entryPath = $"{path}[{index}]";
            if (string.IsNullOrWhiteSpace(entry.KeyName) || string.IsNullOrEmpty(entry.Key))
            {
                throw new EmulatorConfigException($"{entryPath}: KeyName and Key are required");
            }

            var rights = AccessRights.None;
            foreach (var right in entry.Rights ?? [])
            {
                rights |= Enum.TryParse<AccessRights>(right, ignoreCase: true, out var parsed) && parsed != AccessRights.None
                    ? parsed
                    : throw new EmulatorConfigException($"{entryPath}.Rights: '{right}' is not one of Listen, Send, Manage");
            }

            if (rights == AccessRights.None)
            {
                throw new EmulatorConfigException($"{entryPath}.Rights must name at least one of Listen, Send, Manage");
            }

            policies.Add(new SharedAccessPolicy(entry.KeyName, entry.Key, rights));
        }

        return policies;
    }

    internal sealed class ConfigFile
    {
        public UserConfigEntry? UserConfig { get; set; }
    }

    internal sealed class UserConfigEntry
    {
        public List<NamespaceEntry>? Namespaces { get; set; }

        public JsonElement? Logging { get; set; }
    }

    internal sealed class NamespaceEntry
    {
        public string? Name { get; set; }

        public List<QueueEntry>? Queues { get; set; }

        public List<JsonElement>? Topics { get; set; }

        public List<PolicyEntry>? SharedAccessPolicies { get; set; }
    }

    internal sealed class QueueEntry
    {
        public string? Name { get; set; }

        public QueueProperties? Properties { get; set; }

        public List<PolicyEntry>? SharedAccessPolicies { get; set; }
    }

    internal sealed class QueueProperties
    {
        public bool? DeadLetteringOnMessageExpiration { get; set; }

        public string? DefaultMessageTimeToLive { get; set; }

        public string? DuplicateDetectionHistoryTimeWindow { get; set; }

        public string? ForwardDeadLetteredMessagesTo { get; set; }

        public string? ForwardTo { get; set; }

        public string? LockDuration { get; set; }

        public int? MaxDeliveryCount { get; set; }

        public bool? RequiresDuplicateDetection { get; set; }

        public bool? RequiresSession { get; set; }

        public int? MaxSizeInMegabytes { get; set; }

        public int? MaxMessageSizeInKilobytes { get; set; }
    }

    internal sealed class PolicyEntry
    {
        public string? KeyName { get; set; }

        public string? Key { get; set; }

        public List<string>? Rights { get; set; }
    }
}

[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(EmulatorConfig.ConfigFile))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;

using System.Text.Json;

namespace Serverless.Functions.LocalHost;

/// <summary>The parts of the app's host.json the local host honours: log levels, HTTP route prefix and durable task settings.</summary>
internal sealed record HostJson(
    string RoutePrefix,
    string? HubName,
    int? PartitionCount,
    TimeSpan? MaxQueuePollingInterval,
    IReadOnlyDictionary<string, LogLevel> LogLevels,
    bool ExtendedSessionsEnabled = false,
    int ExtendedSessionIdleTimeoutSeconds = 30)
{
    public static HostJson Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"host.json not found at {path}; it is copied next to the app's assembly by the build.", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var extensions = document.RootElement.TryGetProperty("extensions", out var e) ? e : default;
        var routePrefix = Find(extensions, "http", "routePrefix")?.GetString() ?? "api";
        var hubName = Find(extensions, "durableTask", "hubName")?.GetString();
        var partitionCount = Find(extensions, "durableTask", "storageProvider", "partitionCount")?.GetInt32();
        var polling = Find(extensions, "durableTask", "storageProvider", "maxQueuePollingInterval")?.GetString();
        var extendedSessions = Find(extensions, "durableTask", "extendedSessionsEnabled")?.GetBoolean() ?? false;
        var idleSeconds = Find(extensions, "durableTask", "extendedSessionIdleTimeoutInSeconds")?.GetInt32() ?? 30;
        var logLevels = new Dictionary<string, LogLevel>(StringComparer.OrdinalIgnoreCase);
        if (Find(document.RootElement, "logging", "logLevel") is { ValueKind: JsonValueKind.Object } levels)
        {
            foreach (var level in levels.EnumerateObject())
            {
                logLevels[level.Name] = Enum.Parse<LogLevel>(level.Value.GetString()!, ignoreCase: true);
            }
        }

        return new HostJson(
            routePrefix.Trim('/'),
            hubName,
            partitionCount,
            polling is null ? null : TimeSpan.Parse(polling, System.Globalization.CultureInfo.InvariantCulture),
            logLevels,
            extendedSessions,
            idleSeconds);
    }

    private static JsonElement? Find(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element;
    }
}

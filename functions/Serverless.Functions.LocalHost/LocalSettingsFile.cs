using System.Text.Json;

namespace Serverless.Functions.LocalHost;

/// <summary>
/// Reads the <c>Values</c> of a Functions <c>local.settings.json</c>. As with Core Tools, they are defaults that
/// environment variables override; '__' in a name means a configuration section, as in app settings.
/// </summary>
internal static class LocalSettingsFile
{
    public static IReadOnlyDictionary<string, string?> ReadValues(string path)
    {
        if (!File.Exists(path))
        {
            return new Dictionary<string, string?>();
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path} has no \"Values\" object.");
        }

        return values.EnumerateObject().ToDictionary(
            p => p.Name.Replace("__", ":", StringComparison.Ordinal),
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
    }
}

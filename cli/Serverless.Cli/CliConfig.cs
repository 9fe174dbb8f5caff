using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Cli;

/// <summary>
/// Where the API is and how to authenticate, kept in <c>~/.config/hybrid/config.json</c> (mode 0600) by
/// <c>hybrid config set</c>; <c>HYBRID_URL</c>, <c>HYBRID_KEY</c> and <c>HYBRID_TOKEN</c> override it.
/// </summary>
public sealed record CliConfig(string? Url, string? Key, string? Token)
{
    public static string DefaultPath =>
        Environment.GetEnvironmentVariable("HYBRID_CONFIG") is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "hybrid", "config.json");

    public static CliConfig Load(string path)
    {
        var stored = File.Exists(path)
            ? JsonSerializer.Deserialize(File.ReadAllText(path), CliJsonContext.Default.CliConfig) ?? new CliConfig(null, null, null)
            : new CliConfig(null, null, null);
        return new CliConfig(
            Environment.GetEnvironmentVariable("HYBRID_URL") is { Length: > 0 } url ? url : stored.Url,
            Environment.GetEnvironmentVariable("HYBRID_KEY") is { Length: > 0 } key ? key : stored.Key,
            Environment.GetEnvironmentVariable("HYBRID_TOKEN") is { Length: > 0 } token ? token : stored.Token);
    }

    /// <summary>Writes the file readable by its owner only: it holds a credential.</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = File.Create(path);
        if (!OperatingSystem.IsWindows())
        {
            // Before anything is written: an existing file keeps whatever mode it had otherwise.
            File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        JsonSerializer.Serialize(file, this, CliJsonContext.Default.CliConfig);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CliConfig))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

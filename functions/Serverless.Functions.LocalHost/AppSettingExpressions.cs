namespace Serverless.Functions.LocalHost;

/// <summary>Resolves <c>%Name%</c> binding expressions against app settings, as the Functions host does.</summary>
internal static class AppSettingExpressions
{
    public static string Resolve(string value, IConfiguration configuration, string usedBy)
    {
        if (value.Length < 2 || value[0] != '%' || value[^1] != '%')
        {
            return value;
        }

        var name = value[1..^1];
        var resolved = configuration[name] ?? configuration[name.Replace("__", ":", StringComparison.Ordinal)];
        return string.IsNullOrWhiteSpace(resolved)
            ? throw new InvalidOperationException($"{usedBy} needs app setting '{name}' (environment variable '{name.Replace(":", "__", StringComparison.Ordinal)}'), which is not set.")
            : resolved;
    }
}

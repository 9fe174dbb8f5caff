using System.Text.RegularExpressions;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Validation;

/// <summary>Field checks shared by every request validator, so the same field gets the same message everywhere.</summary>
public static partial class FieldRules
{
    public const int MaxNameLength = 63;
    public const int MaxTextLength = 256;

    /// <summary>Names are DNS-label-like: they appear in URLs, table keys and Service Bus session ids.</summary>
    public static void Name(string field, string? value, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new FieldError(field, "is required."));
        }
        else if (value.Length > MaxNameLength || !NamePattern().IsMatch(value))
        {
            errors.Add(new FieldError(field, $"must be 1-{MaxNameLength} characters of lowercase letters, digits and '-', starting with a letter and not ending with '-'."));
        }
    }

    /// <summary>
    /// Adds an error when a zone named by a well-formed <paramref name="zone"/> does not exist for the tenant; a malformed
    /// or missing name has its own error already. Runs beside the other checks, so one answer names every bad field.
    /// </summary>
    public static async Task ZoneExistsAsync(IZoneStore zones, string tenantId, string field, string? zone, List<FieldError> errors, CancellationToken cancellationToken)
    {
        if (errors.Any(e => e.Field == field) || string.IsNullOrWhiteSpace(zone))
        {
            return;
        }

        if (await zones.GetAsync(tenantId, zone, cancellationToken) is null)
        {
            errors.Add(new FieldError(field, $"there is no zone named '{zone}'."));
        }
    }

    public static void OptionalText(string field, string? value, List<FieldError> errors)
    {
        if (value is not null && (value.Length > MaxTextLength || value.Any(char.IsControl)))
        {
            errors.Add(new FieldError(field, $"must be at most {MaxTextLength} printable characters."));
        }
    }

    public static void Required<TEnum>(string field, TEnum? value, List<FieldError> errors)
        where TEnum : struct, Enum
    {
        if (value is null)
        {
            errors.Add(new FieldError(field, $"is required; one of: {string.Join(", ", Enum.GetNames<TEnum>().Select(JsonName))}."));
        }
    }

    /// <summary>A member index as device profiles address table rows: dotted arcs such as <c>3</c> or <c>1.4</c>.</summary>
    public static bool IsMemberIndex(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 128 && value.All(c => char.IsAsciiDigit(c) || c == '.')
        && !value.StartsWith('.') && !value.EndsWith('.') && !value.Contains("..", StringComparison.Ordinal);

    /// <summary>The camelCase spelling clients use for enum values and fields.</summary>
    public static string JsonName(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    [GeneratedRegex("^[a-z]([a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}

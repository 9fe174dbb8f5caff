using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Serverless.ControlPlane.Validation;

namespace Serverless.Functions.Http;

public static class QueryParameters
{
    /// <summary>Reads an optional integer query parameter; a present but malformed value is a field error.</summary>
    public static bool TryGetInt(HttpRequest request, string name, out int? value, [NotNullWhen(false)] out IResult? problem)
    {
        value = null;
        problem = null;
        var raw = request.Query[name];
        if (raw.Count == 0)
        {
            return true;
        }

        if (raw.Count == 1 && int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        problem = ApiResults.Invalid("The query is not valid.", $"'{name}' must be one whole number.", [new FieldError(name, "must be a whole number.")]);
        return false;
    }

    /// <summary>Reads an optional <c>true</c>/<c>false</c> query parameter; anything else is a field error.</summary>
    public static bool TryGetBool(HttpRequest request, string name, out bool value, [NotNullWhen(false)] out IResult? problem)
    {
        value = false;
        problem = null;
        var raw = request.Query[name];
        if (raw.Count == 0)
        {
            return true;
        }

        if (raw.Count == 1 && bool.TryParse(raw[0], out value))
        {
            return true;
        }

        problem = ApiResults.Invalid("The query is not valid.", $"'{name}' must be true or false.", [new FieldError(name, "must be true or false.")]);
        return false;
    }
}

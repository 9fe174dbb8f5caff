using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Serverless.ControlPlane.Validation;

namespace Serverless.Functions.Http;

/// <summary>
/// Reads a JSON request body within <see cref="ApiLimits.MaxRequestBodyBytes"/> and turns every way it can be wrong
/// (media type, size, syntax, duplicate keys, types, unknown fields) into a problem response that names the field.
/// Where <c>acceptYaml</c> says so, an <c>application/yaml</c> body is read as the JSON it stands for (<see cref="YamlBody"/>).
/// </summary>
public static class JsonRequestReader
{
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, bool acceptYaml = false)
        where T : class
    {
        var yaml = acceptYaml && request.ContentType is { } type && IsYaml(type);
        if (!yaml && (request.ContentType is not { } contentType || !IsJson(contentType)))
        {
            return (null, TypedResults.Problem(
                acceptYaml ? "Send the body as application/json or application/yaml." : "Send the body as application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type.",
                type: ProblemTypes.UnsupportedMediaType));
        }

        if (request.ContentLength > ApiLimits.MaxRequestBodyBytes)
        {
            return (null, TooLarge());
        }

        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > ApiLimits.MaxRequestBodyBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, ApiResults.Invalid("The request body is missing.", "Send a JSON object.", [new FieldError("body", "is required.")]));
        }

        var json = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (yaml)
        {
            var (converted, error) = YamlBody.ToJson(json);
            if (error is not null)
            {
                return (null, ApiResults.Invalid("The request body is not valid YAML for this operation.", $"{error.Field}: {error.Message}", [error], ProblemTypes.MalformedJson));
            }

            json = converted;
        }

        if (JsonDuplicateKeys.Find(json) is { } duplicate)
        {
            return (null, Duplicate(duplicate.Path, duplicate.Key));
        }

        try
        {
            var body = JsonSerializer.Deserialize<T>(json, ApiJson.Options);
            return body is null
                ? (null, ApiResults.Invalid("The request body is empty.", "Send a JSON object, not null.", [new FieldError("body", "must be a JSON object.")]))
                : (body, null);
        }
        catch (JsonException ex) when (ex.Message.StartsWith("Duplicate propert", StringComparison.Ordinal))
        {
            // Keys that differ only in case name one field (names match case-insensitively).
            var field = FieldName(ex.Path);
            return (null, Duplicate(field, field.Split('.')[^1]));
        }
        catch (JsonException ex)
        {
            var field = FieldName(ex.Path);
            var message = Describe(ex, typeof(T), field);
            return (null, ApiResults.Invalid(
                "The request body is not valid JSON for this operation.",
                $"{field}: {message}",
                [new FieldError(field, message)],
                ProblemTypes.MalformedJson));
        }
    }

    private static IResult Duplicate(string field, string key) => ApiResults.Invalid(
        "The request body gives a field more than once.",
        $"{field}: '{key}' appears more than once in one object; send each field once.",
        [new FieldError(field, $"'{key}' appears more than once in one object; send each field once.")],
        ProblemTypes.MalformedJson);

    private static bool IsYaml(string contentType) =>
        contentType.StartsWith("application/yaml", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("application/x-yaml", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("text/yaml", StringComparison.OrdinalIgnoreCase);

    private static bool IsJson(string contentType) =>
        contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || (contentType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && contentType.Contains("+json", StringComparison.OrdinalIgnoreCase));

    private static IResult TooLarge() => TypedResults.Problem(
        $"The body may be at most {ApiLimits.MaxRequestBodyBytes} bytes.",
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The request body is too large.",
        type: ProblemTypes.PayloadTooLarge);

    /// <summary>"$.zone.name" → "zone.name"; a failure at the root is about the body itself.</summary>
    private static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>
    /// A message about the field, not about .NET types: conversion failures say what the field accepts (the values of an
    /// enum), syntax errors keep System.Text.Json's first sentence without its position details.
    /// </summary>
    private static string Describe(JsonException ex, Type bodyType, string field)
    {
        if (ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            var target = FieldType(bodyType, field);
            return target is { IsEnum: true }
                ? $"must be one of: {string.Join(", ", Enum.GetNames(target).Select(FieldRules.JsonName))}."
                : target is null ? "is not a field of this request." : $"has the wrong JSON type; expected {JsonKind(target)}.";
        }

        if (ex.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return "is not a field of this request.";
        }

        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static Type? FieldType(Type bodyType, string field)
    {
        var type = bodyType;
        foreach (var segment in field.Split('.'))
        {
            var name = segment.Split('[')[0];
            var property = type.GetProperties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                return null;
            }

            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (segment.Contains('[', StringComparison.Ordinal) && type.IsGenericType)
            {
                type = type.GetGenericArguments()[0];
            }
        }

        return type;
    }

    private static string JsonKind(Type type) =>
        type == typeof(string) ? "a string"
        : type == typeof(bool) ? "true or false"
        : type.IsPrimitive || type == typeof(decimal) ? "a number"
        : typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? "an array"
        : "an object";
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Functions.Http;

/// <summary>
/// The API's JSON rules: camelCase, unknown and duplicate fields refused, nulls omitted. Domain enums carry their own
/// camelCase string converter, so they read and write the same here and in durable payloads.
/// </summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        return options;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.ControlPlane.Serialization;

/// <summary>
/// Writes enums as camelCase strings and refuses numbers, wherever a domain value is serialized: HTTP bodies,
/// durable orchestration inputs and outputs, stored JSON. One spelling everywhere.
/// </summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;

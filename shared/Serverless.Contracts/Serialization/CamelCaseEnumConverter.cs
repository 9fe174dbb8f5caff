using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Contracts.Serialization;

/// <summary>
/// The one enum policy: camelCase strings, numbers refused (also as strings such as "1"), wherever a value is
/// serialized: HTTP bodies, commands and results, durable orchestration inputs and outputs, stored JSON.
/// </summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;

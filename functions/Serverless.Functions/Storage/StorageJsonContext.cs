using System.Text.Json.Serialization;

namespace Serverless.Functions.Storage;

/// <summary>JSON for list and map columns stored in tables.</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.ControlPlane.Stacks;

/// <summary>Source-generated JSON for what the stack service writes as text.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AppliedTemplate))]
internal sealed partial class StackJsonContext : JsonSerializerContext;

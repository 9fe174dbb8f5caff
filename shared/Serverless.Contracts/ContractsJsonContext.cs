using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Contracts;

/// <summary>The one source-generated JSON context for every wire type shared by the cloud and the agent.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CapabilityVerificationResult))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;

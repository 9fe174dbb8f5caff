using System.Text.Json;
using System.Text.Json.Serialization;
using Serverless.RelayAgent.Execution;
using Serverless.RelayAgent.Handlers;

namespace Serverless.RelayAgent;

/// <summary>JSON of the agent's own types: handler outputs and the ledger kept in session state.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PingOutput))]
[JsonSerializable(typeof(DiagnosticsOutput))]
[JsonSerializable(typeof(CommandLedger.Snapshot))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;
using Serverless.RelayAgent.Execution;
using Serverless.RelayAgent.Enrolment;
using Serverless.RelayAgent.Handlers;

namespace Serverless.RelayAgent;

/// <summary>JSON of the agent's own types: handler outputs, the ledger kept in session state, the enrolment request and free-form answers.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PingOutput))]
[JsonSerializable(typeof(DiagnosticsOutput))]
[JsonSerializable(typeof(CommandLedger.Snapshot))]
[JsonSerializable(typeof(EnrolmentRequest))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;

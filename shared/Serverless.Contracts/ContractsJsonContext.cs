using System.Text.Json;
using System.Text.Json.Serialization;
using Serverless.Contracts.Agents;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Contracts.Migrations;
using Serverless.Contracts.Snmp;

namespace Serverless.Contracts;

/// <summary>The one source-generated JSON context for every wire type shared by the cloud and the agent.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CapabilityVerificationResult))]
[JsonSerializable(typeof(CommandEnvelope))]
[JsonSerializable(typeof(CommandResult))]
[JsonSerializable(typeof(AgentHeartbeat))]
[JsonSerializable(typeof(MetricBatch))]
[JsonSerializable(typeof(SnmpGetPayload))]
[JsonSerializable(typeof(SnmpSetPayload))]
[JsonSerializable(typeof(SnmpWalkPayload))]
[JsonSerializable(typeof(SnmpBindingsOutput))]
[JsonSerializable(typeof(MemberActionPayload))]
[JsonSerializable(typeof(MemberActionOutput))]
[JsonSerializable(typeof(MetricsPollPayload))]
[JsonSerializable(typeof(MetricsPollOutput))]
[JsonSerializable(typeof(VerifyCapabilitiesPayload))]
[JsonSerializable(typeof(InstanceStopPayload))]
[JsonSerializable(typeof(InstanceStartPayload))]
[JsonSerializable(typeof(InstanceStartOutput))]
[JsonSerializable(typeof(MetricsSubscribePayload))]
[JsonSerializable(typeof(MetricsSubscribeOutput))]
[JsonSerializable(typeof(InstanceStopOutput))]
[JsonSerializable(typeof(ResourceUninstallPayload))]
[JsonSerializable(typeof(ResourceUninstallOutput))]
[JsonSerializable(typeof(InstanceListPayload))]
[JsonSerializable(typeof(InstanceListOutput))]
[JsonSerializable(typeof(InstanceAdoptPayload))]
[JsonSerializable(typeof(InstanceAdoptOutput))]
[JsonSerializable(typeof(InstanceDefinePayload))]
[JsonSerializable(typeof(InstanceDefineOutput))]
[JsonSerializable(typeof(InstanceActionPayload))]
[JsonSerializable(typeof(InstanceActionOutput))]
[JsonSerializable(typeof(InstanceTerminatePayload))]
[JsonSerializable(typeof(InstanceTerminateOutput))]
[JsonSerializable(typeof(InstanceDescribePayload))]
[JsonSerializable(typeof(InstanceDescribeOutput))]
[JsonSerializable(typeof(RestoreCheckPayload))]
[JsonSerializable(typeof(RestoreCheckOutput))]
[JsonSerializable(typeof(HealthCheckPayload))]
[JsonSerializable(typeof(HealthCheckOutput))]
[JsonSerializable(typeof(InstanceSavePayload))]
[JsonSerializable(typeof(InstanceSaveOutput))]
[JsonSerializable(typeof(InstanceUploadPayload))]
[JsonSerializable(typeof(TransferOutput))]
[JsonSerializable(typeof(InstanceRestorePayload))]
[JsonSerializable(typeof(InstanceRestoreOutput))]
[JsonSerializable(typeof(InstanceRevertPayload))]
[JsonSerializable(typeof(InstanceReleasePayload))]
[JsonSerializable(typeof(InstanceReleaseOutput))]
[JsonSerializable(typeof(BlobAccessRequest))]
[JsonSerializable(typeof(BlobAccessGrant))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;
using Serverless.Contracts.Agents;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Migrations;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Migrations;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Stacks;
using Serverless.ControlPlane.Tenancy;
using Serverless.ControlPlane.Zones;
using Serverless.Functions.Agents;
using Serverless.Functions.Health;
using Serverless.Functions.Instances;
using Serverless.Functions.Migrations;
using Serverless.Functions.Operations;
using Serverless.Functions.Pools;
using Serverless.Functions.Registration;
using Serverless.Functions.Stacks;
using Serverless.Functions.Tenancy;
using Serverless.Functions.WebConsole;
using Serverless.Functions.Zones;

namespace Serverless.Functions.Http;

/// <summary>Source-generated metadata for every request and response body of the HTTP API.</summary>
[JsonSerializable(typeof(CreateZoneRequest))]
[JsonSerializable(typeof(ZoneResponse))]
[JsonSerializable(typeof(ZoneListResponse))]
[JsonSerializable(typeof(RegisterResourceRequest))]
[JsonSerializable(typeof(ResourceOperationAcceptedResponse))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(ResourceListResponse))]
[JsonSerializable(typeof(ResourceInstancesResponse))]
[JsonSerializable(typeof(OperationResponse))]
[JsonSerializable(typeof(OperationListResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(CommandResult))]
[JsonSerializable(typeof(AgentHeartbeat))]
[JsonSerializable(typeof(MetricBatch))]
[JsonSerializable(typeof(IssueAgentCredentialRequest))]
[JsonSerializable(typeof(AgentCredentialResponse))]
[JsonSerializable(typeof(UplinkAcknowledgement))]
[JsonSerializable(typeof(AgentIdentityResponse))]
[JsonSerializable(typeof(PingAcceptedResponse))]
[JsonSerializable(typeof(CreateEnrolmentRequest))]
[JsonSerializable(typeof(EnrolmentResponse))]
[JsonSerializable(typeof(EnrolAgentRequest))]
[JsonSerializable(typeof(EnrolledAgentResponse))]
[JsonSerializable(typeof(RevokedCredentialResponse))]
[JsonSerializable(typeof(ZoneAgentsResponse))]
[JsonSerializable(typeof(CreatePoolRequest))]
[JsonSerializable(typeof(UpdatePoolRequest))]
[JsonSerializable(typeof(PoolResponse))]
[JsonSerializable(typeof(PoolListResponse))]
[JsonSerializable(typeof(PoolEventListResponse))]
[JsonSerializable(typeof(PoolMetricsResponse))]
[JsonSerializable(typeof(RemovedAgentGroupResponse))]
[JsonSerializable(typeof(IssueTenantKeyRequest))]
[JsonSerializable(typeof(TenantKeyResponse))]
[JsonSerializable(typeof(AdoptInstanceRequest))]
[JsonSerializable(typeof(LaunchInstanceRequest))]
[JsonSerializable(typeof(InstanceResponse))]
[JsonSerializable(typeof(InstanceListResponse))]
[JsonSerializable(typeof(InstanceOperationAcceptedResponse))]
[JsonSerializable(typeof(BatchActionRequest))]
[JsonSerializable(typeof(BatchAcceptedResponse))]
[JsonSerializable(typeof(StackPlanRequest))]
[JsonSerializable(typeof(ContinueRollbackRequest))]
[JsonSerializable(typeof(StackPlanResponse))]
[JsonSerializable(typeof(StackOperationAcceptedResponse))]
[JsonSerializable(typeof(StackResponse))]
[JsonSerializable(typeof(StackListResponse))]
[JsonSerializable(typeof(StackEventListResponse))]
[JsonSerializable(typeof(MigrateInstanceRequest))]
[JsonSerializable(typeof(MigrationAcceptedResponse))]
[JsonSerializable(typeof(MigrationResponse))]
[JsonSerializable(typeof(MigrationListResponse))]
[JsonSerializable(typeof(BlobAccessRequest))]
[JsonSerializable(typeof(BlobAccessGrant))]
[JsonSerializable(typeof(ConsoleSignInResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

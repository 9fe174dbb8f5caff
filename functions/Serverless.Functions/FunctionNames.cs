namespace Serverless.Functions;

/// <summary>Every function's name, so triggers, orchestrations and tests refer to them without string literals.</summary>
public static class FunctionNames
{
    public const string GetHealth = "GetHealth";
    public const string GetOpenApiDocument = "GetOpenApiDocument";
    public const string CreateZone = "CreateZone";
    public const string GetZone = "GetZone";
    public const string ListZones = "ListZones";
    public const string GetOperation = "GetOperation";
    public const string RegisterResource = "RegisterResource";
    public const string GetResource = "GetResource";
    public const string RegistrationOrchestrator = "RegistrationOrchestrator";
    public const string RecordRegistrationDecision = "RecordRegistrationDecision";
    public const string ListResources = "ListResources";
    public const string ListResourceInstances = "ListResourceInstances";
    public const string UnregisterResource = "UnregisterResource";
    public const string UnregistrationOrchestrator = "UnregistrationOrchestrator";
    public const string RecordUnregistering = "RecordUnregistering";
    public const string RecordInstanceStopped = "RecordInstanceStopped";

    public const string RecordHostInstances = "RecordHostInstances";

    public const string LaunchInstance = "LaunchInstance";
    public const string ListInstances = "ListInstances";
    public const string GetInstance = "GetInstance";
    public const string ActOnInstance = "ActOnInstance";
    public const string TerminateInstance = "TerminateInstance";
    public const string InstanceLaunchOrchestrator = "InstanceLaunchOrchestrator";
    public const string InstanceActionOrchestrator = "InstanceActionOrchestrator";
    public const string ReserveInstance = "ReserveInstance";
    public const string RecordInstanceStep = "RecordInstanceStep";
    public const string ReleaseInstance = "ReleaseInstance";
    public const string AdoptInstance = "AdoptInstance";
    public const string InstanceAdoptOrchestrator = "InstanceAdoptOrchestrator";
    public const string RecordAdoption = "RecordAdoption";
    public const string ReconcileInstances = "ReconcileInstances";
    public const string StartBatchAction = "StartBatchAction";
    public const string CancelBatchAction = "CancelBatchAction";
    public const string BatchActionOrchestrator = "BatchActionOrchestrator";
    public const string PrepareBatchTarget = "PrepareBatchTarget";
    public const string RecordPoolMembersDrained = "RecordPoolMembersDrained";
    public const string RecordUnregistrationOutcome = "RecordUnregistrationOutcome";
    public const string PurgeOrchestrationHistory = "PurgeOrchestrationHistory";
    public const string SendCommand = "SendCommand";
    public const string GetCommandResult = "GetCommandResult";
    public const string PostCommandResult = "PostCommandResult";
    public const string PostAgentHeartbeat = "PostAgentHeartbeat";
    public const string PostAgentMetrics = "PostAgentMetrics";
    public const string GetAgentIdentity = "GetAgentIdentity";
    public const string IssueAgentCredential = "IssueAgentCredential";
    public const string RevokeAgentCredential = "RevokeAgentCredential";
    public const string RotateAgentCredential = "RotateAgentCredential";
    public const string CreateEnrolment = "CreateEnrolment";
    public const string EnrolAgent = "EnrolAgent";
    public const string EvaluateAgentConnectivity = "EvaluateAgentConnectivity";
    public const string GetZoneAgents = "GetZoneAgents";
    public const string RemoveZoneAgents = "RemoveZoneAgents";
    public const string IssueTenantKey = "IssueTenantKey";
    public const string RevokeTenantKey = "RevokeTenantKey";
    public const string PingZone = "PingZone";
    public const string CreatePool = "CreatePool";
    public const string GetPool = "GetPool";
    public const string ListPools = "ListPools";
    public const string UpdatePool = "UpdatePool";
    public const string DeletePool = "DeletePool";
    public const string ListPoolEvents = "ListPoolEvents";
    public const string EvaluatePools = "EvaluatePools";
    public const string PoolEvaluationOrchestrator = "PoolEvaluationOrchestrator";
    public const string EvaluatePoolPartition = "EvaluatePoolPartition";
    public const string PurgeMetrics = "PurgeMetrics";
    public const string ZonePingOrchestrator = "ZonePingOrchestrator";
}

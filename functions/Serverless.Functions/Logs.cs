using Microsoft.Extensions.Logging;

namespace Serverless.Functions;

/// <summary>Log definitions of the Functions app; EventIds 2000-2999.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Purged {PurgedCount} finished orchestrations created before {CreatedBefore:o} (past due: {IsPastDue})")]
    public static partial void HistoryPurged(ILogger logger, int purgedCount, DateTimeOffset createdBefore, bool isPastDue);

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Command {CommandId} ({Kind}) sent to tenant {TenantId} group {AgentGroup} on {Queue}")]
    public static partial void CommandSent(ILogger logger, string commandId, string kind, string tenantId, string agentGroup, string queue);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Result of command {CommandId} from agent {AgentId}: {Status} ({Acceptance})")]
    public static partial void CommandResultTaken(ILogger logger, string commandId, string agentId, string status, string acceptance);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Result of command {CommandId} names orchestration {InstanceId}, which does not exist; the result is stored only")]
    public static partial void CommandResultOrphaned(ILogger logger, string commandId, string instanceId);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Uplink call to {Route} refused: no valid agent credential (revoked {Revoked})")]
    public static partial void AgentUnauthenticated(ILogger logger, string route, bool revoked);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Agent credential {CredentialId} issued for agent {AgentId} in group {AgentGroup} of tenant {TenantId}")]
    public static partial void AgentCredentialIssued(ILogger logger, string credentialId, string agentId, string agentGroup, string tenantId);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "Enrolment {EnrolmentId} created for zone {Zone} of tenant {TenantId}: {UsageLimit} uses until {ExpiresAt:o}")]
    public static partial void EnrolmentCreated(ILogger logger, string enrolmentId, string zone, string tenantId, int usageLimit, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Information, Message = "Agent {AgentId} enrolled in group {AgentGroup} of tenant {TenantId} with credential {CredentialId}")]
    public static partial void AgentEnrolled(ILogger logger, string agentId, string agentGroup, string tenantId, string credentialId);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Enrolment refused: {Reason}")]
    public static partial void EnrolmentRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "Agent {AgentId} rotated credential {OldCredentialId} to {CredentialId}")]
    public static partial void AgentCredentialRotated(ILogger logger, string agentId, string oldCredentialId, string credentialId);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Information, Message = "Agent credential {CredentialId} of agent {AgentId} revoked")]
    public static partial void AgentCredentialRevoked(ILogger logger, string credentialId, string agentId);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "Agent group {AgentGroup} of tenant {TenantId} is now {Status}; last heard from at {LastHeardAt:o}")]
    public static partial void AgentGroupStatusChanged(ILogger logger, string agentGroup, string tenantId, string status, DateTimeOffset lastHeardAt);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Information, Message = "Tenant key {KeyId} issued for tenant {TenantId}")]
    public static partial void TenantKeyIssued(ILogger logger, string keyId, string tenantId);

    [LoggerMessage(EventId = 2112, Level = LogLevel.Information, Message = "Tenant key {KeyId} of tenant {TenantId} revoked")]
    public static partial void TenantKeyRevoked(ILogger logger, string keyId, string tenantId);

    [LoggerMessage(EventId = 2113, Level = LogLevel.Warning, Message = "Verification {CommandId} of resource {ResourceId} was not sent ahead of its orchestration, which sends it: {Reason}")]
    public static partial void EarlyVerificationNotSent(ILogger logger, string commandId, string resourceId, string reason);

    [LoggerMessage(EventId = 2120, Level = LogLevel.Warning, Message = "Agent group {AgentGroup} of tenant {TenantId} removed: {Revoked} credentials revoked")]
    public static partial void AgentGroupRemoved(ILogger logger, string tenantId, string agentGroup, int revoked);

    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "Pool {PoolId}: {Changes} member change(s): {Reason}")]
    public static partial void PoolDecided(ILogger logger, string poolId, int changes, string reason);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Purged {Count} metric readings past their retention")]
    public static partial void MetricsPurged(ILogger logger, int count);

    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "State sync asked {Hosts} host(s) what they run")]
    public static partial void InstanceReportsRequested(ILogger logger, int hosts);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "Instance {TenantId}/{Name}: its {Workflow} (operation {OperationId}) was accepted but never scheduled; scheduled it now")]
    public static partial void InstanceWorkflowScheduled(ILogger logger, string tenantId, string name, string workflow, string operationId);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Instance {TenantId}/{Name}: its {Action} (operation {OperationId}) was accepted but never scheduled; dropped it")]
    public static partial void InstanceWorkflowAbandoned(ILogger logger, string tenantId, string name, string action, string operationId);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Host {HostId} reported: {Moved} managed instance(s) moved to what it runs")]
    public static partial void InstanceReportApplied(ILogger logger, string hostId, int moved);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Pool tick {InstanceId} skipped: tick {RunningInstanceId}, started {StartedAt:o}, is still running")]
    public static partial void PoolTickSkipped(ILogger logger, string instanceId, string runningInstanceId, DateTimeOffset startedAt);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Error, Message = "Pool tick {InstanceId}, started {StartedAt:o}, ran past {TimeoutSeconds} s: terminating it and starting the next")]
    public static partial void PoolTickAbandoned(ILogger logger, string instanceId, DateTimeOffset startedAt, int timeoutSeconds);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Pool {PoolId} member {MemberId}: agent answered {Kind} {Status}")]
    public static partial void PoolMemberAnswered(ILogger logger, string poolId, string memberId, string kind, string status);

    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "Migration {MigrationId}: agent {AgentId} asked for {Access} access to the {Artifact} blob; granted {Granted}")]
    public static partial void BlobAccessGranted(ILogger logger, string migrationId, string agentId, string artifact, string access, bool granted);
}

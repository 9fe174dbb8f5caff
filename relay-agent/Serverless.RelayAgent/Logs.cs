namespace Serverless.RelayAgent;

/// <summary>Log definitions of the relay agent; EventIds 5000-5999.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Relay agent {AgentId} of group {AgentGroup} (tenant {TenantId}) starting: queue {QueueName}, control plane {ControlPlaneUrl}, handlers {Kinds}")]
    public static partial void Starting(ILogger logger, string agentId, string agentGroup, string tenantId, string queueName, string controlPlaneUrl, string kinds);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Holding session {AgentGroup}: active, lock until {LockedUntil:o}, {LedgerEntries} ledger entries")]
    public static partial void SessionAcquired(ILogger logger, string agentGroup, DateTimeOffset lockedUntil, int ledgerEntries);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Session {AgentGroup} is held by another agent: standing by, retrying every {RetrySeconds} s")]
    public static partial void Standby(ILogger logger, string agentGroup, double retrySeconds);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Lost session {AgentGroup}; taking it again")]
    public static partial void SessionLost(ILogger logger, Exception exception, string agentGroup);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "Cannot open session {AgentGroup} on queue {QueueName}: {Reason}. Retrying in {DelaySeconds} s")]
    public static partial void ChannelFailed(ILogger logger, Exception exception, string agentGroup, string queueName, string reason, double delaySeconds);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Command {CommandId} ({Kind}) {Status} in {ElapsedMs} ms, trace {TraceId}")]
    public static partial void CommandExecuted(ILogger logger, string commandId, string kind, string status, double elapsedMs, string traceId);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Command {CommandId} repeated: answering with the recorded result ({Status})")]
    public static partial void CommandReplayed(ILogger logger, string commandId, string status);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Information, Message = "Command {CommandId} repeated after the control plane took its result ({Status}); acknowledged, not posted again")]
    public static partial void CommandAlreadyReported(ILogger logger, string commandId, string status);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "Command {CommandId} was started by an agent that stopped before finishing; reporting it interrupted, not running it again")]
    public static partial void CommandInterrupted(ILogger logger, string commandId);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "Message {MessageId} is not a command for this agent: {Reason}; dead-lettered")]
    public static partial void CommandRejected(ILogger logger, string? messageId, string reason);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "Posting to {Path} for {Id} failed (attempt {Attempt}): {Reason}; retrying in {DelayMs} ms")]
    public static partial void UplinkRetry(ILogger logger, string path, string id, int attempt, string reason, double delayMs);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Error, Message = "The control plane refused {Path} for {Id}: {Reason}; not retrying")]
    public static partial void UplinkRefused(ILogger logger, string path, string id, string reason);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "Posting to {Path} failed: {Reason}")]
    public static partial void UplinkFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "Stopping with command {CommandId} unfinished after the grace period; its message is abandoned")]
    public static partial void CommandAbandoned(ILogger logger, string commandId);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Information, Message = "Relay agent {AgentId} stopped")]
    public static partial void Stopped(ILogger logger, string agentId);

    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Member {ResourceId} {Change} on {Address} (credential {Credential}, profile {Profile})")]
    public static partial void MemberChanged(ILogger logger, string resourceId, string change, string address, string credential, string profile);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Member {ResourceId} changed, but its health could not be read: {Reason}")]
    public static partial void HealthUnread(ILogger logger, string resourceId, string reason);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Debug, Message = "Polled {Targets} members: {Samples} samples, {Failures} failures")]
    public static partial void MetricsPolled(ILogger logger, int targets, int samples, int failures);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Verified {Address} (credential {Credential}) against profile {Profile}: reachable {Reachable}, {Problems} problems")]
    public static partial void CapabilitiesVerified(ILogger logger, string address, string credential, string profile, bool reachable, int problems);

    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "Verified virtualization host {Uri}: reachable {Reachable}, {Problems} problems")]
    public static partial void HostVerified(ILogger logger, string uri, bool reachable, int problems);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Stopped instance {Name} on {Uri}: {State}, forced {Forced}, found {Found}")]
    public static partial void InstanceStopped(ILogger logger, string uri, string name, Serverless.Contracts.Instances.InstanceState state, bool forced, bool found);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Uninstalled resource {ResourceId}: released {Released}")]
    public static partial void ResourceUninstalled(ILogger logger, string resourceId, string released);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Critical, Message = "The control plane at {ControlPlaneUrl} revoked this agent's credential: the agent is stopping and closing its session. Enrol it again (relay-agent enrol) to bring it back")]
    public static partial void CredentialRevoked(ILogger logger, string controlPlaneUrl);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Information, Message = "Started instance {Name} on {Uri}: {State}")]
    public static partial void InstanceStarted(ILogger logger, string uri, string name, Serverless.Contracts.Instances.InstanceState state);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Information, Message = "Defined instance {Name} on {Uri} with disk {Disk} (created {Created})")]
    public static partial void InstanceDefined(ILogger logger, string uri, string name, string disk, bool created);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Information, Message = "Terminated instance {Name} on {Uri}: domain removed {DomainRemoved}, disk removed {VolumeRemoved}")]
    public static partial void InstanceTerminated(ILogger logger, string uri, string name, bool domainRemoved, bool volumeRemoved);

    [LoggerMessage(EventId = 5207, Level = LogLevel.Information, Message = "Adopted domain {Name} on {Uri} as instance {InstanceId} (newly stamped {Adopted})")]
    public static partial void InstanceAdopted(ILogger logger, string uri, string name, string instanceId, bool adopted);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Information, Message = "{Kind} of instance {Name} on {Uri}: {State}")]
    public static partial void InstanceActed(ILogger logger, string kind, string uri, string name, Serverless.Contracts.Instances.InstanceState state);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Metrics subscription {SubscriptionId}: {Targets} members, {Refused} refused, every {IntervalSeconds} s")]
    public static partial void MetricsSubscribed(ILogger logger, string subscriptionId, int targets, int refused, int intervalSeconds);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Debug, Message = "Metrics subscription {SubscriptionId} polled: {Samples} samples, {Failures} failures")]
    public static partial void SubscriptionPolled(ILogger logger, string subscriptionId, int samples, int failures);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "Metrics subscription {SubscriptionId} could not be polled: {Reason}")]
    public static partial void SubscriptionPollFailed(ILogger logger, string subscriptionId, string reason);

    [LoggerMessage(EventId = 5220, Level = LogLevel.Information, Message = "Saved instance {Name} on {Uri} for migration {MigrationId}: {Bytes} bytes in {Seconds:0.000} s")]
    public static partial void InstanceSaved(ILogger logger, string uri, string name, string migrationId, long bytes, double seconds);

    [LoggerMessage(EventId = 5221, Level = LogLevel.Information, Message = "Uploaded the {Artifact} of instance {Name} for migration {MigrationId}: {Bytes} bytes, {BlocksSent} blocks sent, {BlocksKept} kept, in {Seconds:0.000} s")]
    public static partial void InstanceUploaded(ILogger logger, string name, string migrationId, string artifact, long bytes, int blocksSent, int blocksKept, double seconds);

    [LoggerMessage(EventId = 5222, Level = LogLevel.Information, Message = "Restored instance {Name} on {Uri} for migration {MigrationId}, paused: {Bytes} bytes downloaded, {Seconds:0.000} s")]
    public static partial void InstanceRestored(ILogger logger, string uri, string name, string migrationId, long bytes, double seconds);

    [LoggerMessage(EventId = 5223, Level = LogLevel.Information, Message = "Reverted instance {Name} on {Uri} from migration {MigrationId}: running again from its saved state")]
    public static partial void InstanceReverted(ILogger logger, string uri, string name, string migrationId);

    [LoggerMessage(EventId = 5225, Level = LogLevel.Information, Message = "Health check of instance {Name}: {Address}:{Port} accepted a connection after {Attempts} attempts, {Milliseconds} ms")]
    public static partial void HealthCheckPassed(ILogger logger, string name, string address, int port, int attempts, long milliseconds);

    [LoggerMessage(EventId = 5226, Level = LogLevel.Warning, Message = "Health check of instance {Name}: {Address}:{Port} accepted no connection in {Attempts} attempts: {Reason}")]
    public static partial void HealthCheckFailed(ILogger logger, string name, string address, int port, int attempts, string reason);

    [LoggerMessage(EventId = 5224, Level = LogLevel.Information, Message = "Released the source of instance {Name} on {Uri} after migration {MigrationId}: {Done}")]
    public static partial void InstanceReleased(ILogger logger, string uri, string name, string migrationId, string done);
}

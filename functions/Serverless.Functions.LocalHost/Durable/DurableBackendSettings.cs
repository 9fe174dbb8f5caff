namespace Serverless.Functions.LocalHost.Durable;

internal sealed record DurableBackendSettings(
    string HubName,
    string StorageConnectionString,
    int PartitionCount,
    TimeSpan MaxQueuePollingInterval,
    TimeSpan OrchestrationVisibilityTimeout,
    TimeSpan ActivityVisibilityTimeout,
    string WorkerId,
    bool ExtendedSessionsEnabled = false,
    int ExtendedSessionIdleTimeoutSeconds = 30);

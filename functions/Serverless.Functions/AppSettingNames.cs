namespace Serverless.Functions;

/// <summary>
/// Every app setting the code reads, in one place; <c>infra-bicep</c> and <c>local.settings.template.json</c>
/// set exactly these. Sections use ':' in code and '__' in environment variables.
/// </summary>
public static class AppSettingNames
{
    /// <summary>Storage for tables, blobs and the durable task hub: a connection string, or <c>__accountName</c> with managed identity.</summary>
    public const string Storage = "AzureWebJobsStorage";

    /// <summary>Name of the durable task hub (host.json reads it as <c>%DurableTask:HubName%</c>).</summary>
    public const string DurableTaskHubName = "DurableTask:HubName";

    /// <summary>NCRONTAB schedule (six fields) of the history purge timer.</summary>
    public const string HistoryPurgeSchedule = "HistoryPurge:Schedule";

    /// <summary>Binding expression form of <see cref="HistoryPurgeSchedule"/> for the timer attribute.</summary>
    public const string HistoryPurgeScheduleExpression = "%" + HistoryPurgeSchedule + "%";

    /// <summary>NCRONTAB schedule (six fields) of the agent connectivity timer.</summary>
    public const string ConnectivitySchedule = "Connectivity:Schedule";

    /// <summary>Binding expression form of <see cref="ConnectivitySchedule"/> for the timer attribute.</summary>
    public const string ConnectivityScheduleExpression = "%" + ConnectivitySchedule + "%";

    /// <summary>NCRONTAB schedule (six fields) of the pool evaluator.</summary>
    public const string PoolsSchedule = "Pools:Schedule";

    /// <summary>Binding expression form of <see cref="PoolsSchedule"/> for the timer attribute.</summary>
    public const string PoolsScheduleExpression = "%" + PoolsSchedule + "%";

    /// <summary>NCRONTAB schedule (six fields) of the timer that deletes old metric readings.</summary>
    public const string MetricsPurgeSchedule = "Pools:MetricsPurgeSchedule";

    /// <summary>Binding expression form of <see cref="MetricsPurgeSchedule"/> for the timer attribute.</summary>
    public const string MetricsPurgeScheduleExpression = "%" + MetricsPurgeSchedule + "%";

    /// <summary>NCRONTAB schedule (six fields) of instance state sync: each registered compute host and each host holding managed instances is asked what it runs.</summary>
    public const string InstancesReconcileSchedule = "Instances:ReconcileSchedule";

    /// <summary>Binding expression form of <see cref="InstancesReconcileSchedule"/> for the timer attribute.</summary>
    public const string InstancesReconcileScheduleExpression = "%" + InstancesReconcileSchedule + "%";

    /// <summary>
    /// Service Bus for the command channel: a connection string (locally, the emulator's), or
    /// <c>__fullyQualifiedNamespace</c> (+ <c>__clientId</c>) with a managed identity in Azure.
    /// </summary>
    public const string ServiceBus = "ServiceBusConnection";
}

using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Functions.Maintenance;

/// <summary>Deletes the history of finished orchestrations older than the retention, so the task hub stays small.</summary>
public sealed class HistoryPurgeFunction(IOptions<HistoryPurgeOptions> options, TimeProvider clock, ILogger<HistoryPurgeFunction> logger)
{
    private static readonly OrchestrationRuntimeStatus[] FinishedStatuses =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    [Function(FunctionNames.PurgeOrchestrationHistory)]
    public async Task RunAsync(
        [TimerTrigger(AppSettingNames.HistoryPurgeScheduleExpression)] TimerInfo timer,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        var createdBefore = clock.GetUtcNow().AddHours(-options.Value.RetentionHours);
        var result = await durableClient.PurgeAllInstancesAsync(new PurgeInstancesFilter(null, createdBefore, FinishedStatuses), cancellationToken);
        Logs.HistoryPurged(logger, result.PurgedInstanceCount, createdBefore, timer.IsPastDue);
    }
}

using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Pools;

/// <summary>
/// The pool evaluator. The <c>Pools:Schedule</c> timer starts one orchestration per tick, named after the tick, so two
/// instances firing for the same tick start it once; the orchestration fans the pools out over
/// <see cref="PoolOptions.Partitions"/> activities, which the Functions host spreads over its instances. A second timer
/// purges old metric readings.
/// </summary>
public sealed class PoolEvaluationFunctions(PoolEvaluationService evaluator, IMetricWindowStore metrics, IOptions<PoolOptions> options, TimeProvider clock, ILogger<PoolEvaluationFunctions> logger)
{
    [Function(FunctionNames.EvaluatePools)]
    public async Task TickAsync(
        [TimerTrigger(AppSettingNames.PoolsScheduleExpression)] TimerInfo timer,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        var tick = clock.GetUtcNow();
        var instanceId = $"pool-evaluation-{tick:yyyyMMddHHmmss}";
        if (await durableClient.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return;
        }

        await durableClient.ScheduleNewOrchestrationInstanceAsync(
            FunctionNames.PoolEvaluationOrchestrator, options.Value.Partitions, new StartOrchestrationOptions(instanceId), cancellationToken);
    }

    [Function(FunctionNames.PoolEvaluationOrchestrator)]
    public static async Task<int> OrchestrateAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var partitions = context.GetInput<int>();
        var acted = await Task.WhenAll(Enumerable.Range(0, partitions).Select(p =>
            context.CallActivityAsync<int>(FunctionNames.EvaluatePoolPartition, new PoolPartition(p, partitions))));
        return acted.Sum();
    }

    [Function(FunctionNames.EvaluatePoolPartition)]
    public async Task<int> EvaluatePartitionAsync([ActivityTrigger] PoolPartition partition, CancellationToken cancellationToken)
    {
        var decisions = await evaluator.EvaluatePartitionAsync(partition.Index, partition.Count, cancellationToken);
        foreach (var decision in decisions)
        {
            Logs.PoolDecided(logger, decision.PoolId, decision.Changes.Count, decision.Reason);
        }

        return decisions.Count;
    }

    [Function(FunctionNames.PurgeMetrics)]
    public async Task PurgeAsync([TimerTrigger(AppSettingNames.MetricsPurgeScheduleExpression)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var purged = await metrics.PurgeAsync(clock.GetUtcNow().AddMinutes(-options.Value.MetricsRetentionMinutes), cancellationToken);
        Logs.MetricsPurged(logger, purged);
    }
}

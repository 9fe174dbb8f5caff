using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Pools;

/// <summary>
/// The pool evaluator. The <c>Pools:Schedule</c> timer starts one orchestration per tick, named after the tick, so two
/// instances firing for the same tick start it once, and none while an earlier tick still runs (<see cref="PoolTickGate"/>:
/// a tick that runs long makes the next skip, saying so, instead of piling up); the orchestration fans the pools out over
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
        var instanceId = $"{TickPrefix}{tick:yyyyMMddHHmmss}";
        if (await durableClient.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return;
        }

        var unfinished = await UnfinishedTickAsync(durableClient, cancellationToken);
        switch (PoolTickGate.Decide(unfinished?.CreatedAt, tick, TimeSpan.FromSeconds(options.Value.TickTimeoutSeconds)))
        {
            case PoolTickGate.Verdict.Skip:
                Logs.PoolTickSkipped(logger, instanceId, unfinished!.InstanceId, unfinished.CreatedAt);
                return;
            case PoolTickGate.Verdict.ReplaceStuck:
                Logs.PoolTickAbandoned(logger, unfinished!.InstanceId, unfinished.CreatedAt, options.Value.TickTimeoutSeconds);
                await durableClient.TerminateInstanceAsync(unfinished.InstanceId, $"ran past Pools:TickTimeoutSeconds ({options.Value.TickTimeoutSeconds} s)", cancellationToken);
                break;
        }

        await durableClient.ScheduleNewOrchestrationInstanceAsync(
            FunctionNames.PoolEvaluationOrchestrator, options.Value.Partitions, new StartOrchestrationOptions(instanceId), cancellationToken);
    }

    private const string TickPrefix = "pool-evaluation-";

    private static async Task<OrchestrationMetadata?> UnfinishedTickAsync(DurableTaskClient durableClient, CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = TickPrefix,
            Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending],
            PageSize = 1,
            FetchInputsAndOutputs = false,
        };
        await foreach (var page in durableClient.GetAllInstancesAsync(query).AsPages(pageSizeHint: 1).WithCancellation(cancellationToken))
        {
            if (page.Values.Count > 0)
            {
                return page.Values[0];
            }
        }

        return null;
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

using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Migrations;
using Serverless.ControlPlane.Operations;

namespace Serverless.Functions.Instances;

/// <summary>
/// State sync on the <c>Instances:ReconcileSchedule</c> timer: every registered compute host and every host holding
/// managed instances (in a zone whose agents are connected) is asked what it runs; the answers come back over the
/// uplink and move the records (<see cref="InstanceReconciler"/>). It also finishes what a stop of the service left
/// half done: a launch or adoption accepted whose workflow was never scheduled is scheduled now, and an action whose
/// workflow was never scheduled is dropped, saying so.
/// </summary>
public sealed class InstanceReconcileFunction(
    InstanceReconciler reconciler, InstanceService instances, MigrationService migrations, TimeProvider clock, ILogger<InstanceReconcileFunction> logger)
{
    /// <summary>Longer than a request takes from recording to scheduling, so a request still in flight is never taken for lost.</summary>
    private static readonly TimeSpan Settled = TimeSpan.FromMinutes(1);

    [Function(FunctionNames.ReconcileInstances)]
    public async Task RunAsync(
        [TimerTrigger(AppSettingNames.InstancesReconcileScheduleExpression)] TimerInfo timer,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        Logs.InstanceReportsRequested(logger, await reconciler.RequestReportsAsync(cancellationToken));
        var launches = new List<ManagedInstance>();
        foreach (var record in await instances.UnfinishedSinceAsync(clock.GetUtcNow() - Settled, cancellationToken))
        {
            if (await durableClient.GetInstanceAsync(OperationIds.ToInstanceId(record.TenantId, record.OperationId), getInputsAndOutputs: false, cancellationToken) is not null)
            {
                continue;
            }

            if (record.PendingAction is { } action)
            {
                await instances.AbandonActionAsync(record, cancellationToken);
                if (action == InstanceAction.Migrate)
                {
                    await migrations.EndAsync(record.TenantId, record.OperationId, MigrationStatus.Refused,
                        "the migration was accepted but its workflow never started (the service stopped in between); nothing was touched, ask again.", [], cancellationToken);
                }

                Logs.InstanceWorkflowAbandoned(logger, record.TenantId, record.Name, InstanceService.Words(action), record.OperationId);
            }
            else if (record.Adopted)
            {
                await InstanceWorkflows.ScheduleAsync(durableClient, FunctionNames.InstanceAdoptOrchestrator, record.TenantId, record.OperationId, InstanceService.AdoptPlanOf(record), cancellationToken);
                Logs.InstanceWorkflowScheduled(logger, record.TenantId, record.Name, "adoption", record.OperationId);
            }
            else
            {
                launches.Add(record);
            }
        }

        // Launches accepted together (a stack's tier) share their operation: one workflow takes them all again.
        foreach (var operation in launches.GroupBy(r => (r.TenantId, r.OperationId)))
        {
            var (tenantId, operationId) = operation.Key;
            var plans = operation.Select(InstanceService.LaunchPlanOf).ToList();
            await (plans.Count == 1
                ? InstanceWorkflows.ScheduleAsync(durableClient, FunctionNames.InstanceLaunchOrchestrator, tenantId, operationId, plans[0], cancellationToken)
                : InstanceWorkflows.ScheduleAsync(durableClient, FunctionNames.InstanceBatchLaunchOrchestrator, tenantId, operationId, new LaunchBatch(tenantId, operationId, plans), cancellationToken));
            foreach (var record in operation)
            {
                Logs.InstanceWorkflowScheduled(logger, tenantId, record.Name, "launch", operationId);
            }
        }
    }
}

using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.ControlPlane.Operations;

namespace Serverless.Functions.Instances;

/// <summary>Starting an instance workflow under its operation's own id, once.</summary>
public static class InstanceWorkflows
{
    /// <summary>Schedules the workflow unless one with the operation's id exists (a repeated request finds it scheduled).</summary>
    public static async Task ScheduleAsync(DurableTaskClient durableClient, string orchestrator, string tenantId, string operationId, object input, CancellationToken cancellationToken)
    {
        var instanceId = OperationIds.ToInstanceId(tenantId, operationId);
        if (await durableClient.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is null)
        {
            await durableClient.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(instanceId), cancellationToken);
        }
    }
}

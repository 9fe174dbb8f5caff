using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Serverless.ControlPlane.Instances;

namespace Serverless.Functions.Instances;

/// <summary>
/// State sync on the <c>Instances:ReconcileSchedule</c> timer: every registered compute host and every host holding
/// managed instances (in a zone whose agents are connected) is asked what it runs; the answers come back over the uplink and move the records (<see cref="InstanceReconciler"/>).
/// </summary>
public sealed class InstanceReconcileFunction(InstanceReconciler reconciler, ILogger<InstanceReconcileFunction> logger)
{
    [Function(FunctionNames.ReconcileInstances)]
    public async Task RunAsync([TimerTrigger(AppSettingNames.InstancesReconcileScheduleExpression)] TimerInfo timer, CancellationToken cancellationToken) =>
        Logs.InstanceReportsRequested(logger, await reconciler.RequestReportsAsync(cancellationToken));
}

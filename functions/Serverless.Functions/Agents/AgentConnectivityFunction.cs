using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Serverless.ControlPlane.Agents;

namespace Serverless.Functions.Agents;

/// <summary>Marks agent groups Disconnected or Expired after their silence, on the <c>Connectivity:Schedule</c> timer.</summary>
public sealed class AgentConnectivityFunction(ConnectivityService connectivity, ILogger<AgentConnectivityFunction> logger)
{
    [Function(FunctionNames.EvaluateAgentConnectivity)]
    public async Task RunAsync([TimerTrigger(AppSettingNames.ConnectivityScheduleExpression)] TimerInfo timer, CancellationToken cancellationToken)
    {
        foreach (var change in await connectivity.EvaluateAsync(cancellationToken))
        {
            Logs.AgentGroupStatusChanged(logger, change.AgentGroup, change.TenantId, change.Status.ToString(), change.LastHeardAt);
        }
    }
}

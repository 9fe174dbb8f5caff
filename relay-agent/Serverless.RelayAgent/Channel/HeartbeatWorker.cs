using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Agents;
using Serverless.RelayAgent.Uplink;

namespace Serverless.RelayAgent.Channel;

/// <summary>Posts a heartbeat at start and then every <see cref="RelayAgentOptions.HeartbeatIntervalSeconds"/>.</summary>
public sealed class HeartbeatWorker(UplinkClient uplink, AgentStatus status, IOptions<RelayAgentOptions> options, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var agent = options.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(agent.HeartbeatIntervalSeconds), clock);
        do
        {
            var heartbeat = new AgentHeartbeat(
                SchemaVersions.Current, agent.AgentId, agent.AgentGroup, clock.GetUtcNow(), AgentStatus.Version, Environment.MachineName,
                status.StartedAt, status.Role, status.CommandsExecuted, status.LastCommandAt);
            try
            {
                await uplink.PostHeartbeatAsync(heartbeat, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

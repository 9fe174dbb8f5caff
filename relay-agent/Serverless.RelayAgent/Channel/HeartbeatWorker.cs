using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Agents;
using Serverless.RelayAgent.Uplink;

namespace Serverless.RelayAgent.Channel;

/// <summary>
/// Posts a heartbeat at start, every <see cref="RelayAgentOptions.HeartbeatIntervalSeconds"/>, and at once when the
/// agent's role changes, so the control plane sees a takeover without waiting for the next interval.
/// </summary>
public sealed class HeartbeatWorker(UplinkClient uplink, AgentStatus status, IOptions<RelayAgentOptions> options, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var agent = options.Value;
        CancellationToken roleChanged;
        do
        {
            // Taken before the role is read: a change while this heartbeat is on its way still wakes the wait below.
            roleChanged = status.RoleChanged;
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
        while (await WaitAsync(TimeSpan.FromSeconds(agent.HeartbeatIntervalSeconds), roleChanged, stoppingToken));
    }

    /// <summary>Waits for the interval or a role change; false when the agent is stopping.</summary>
    private async Task<bool> WaitAsync(TimeSpan interval, CancellationToken roleChanged, CancellationToken stoppingToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, roleChanged);
        try
        {
            await Task.Delay(interval, clock, wake.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return !stoppingToken.IsCancellationRequested;
    }
}

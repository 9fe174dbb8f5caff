using Serverless.ControlPlane.Agents;
using Microsoft.Extensions.Options;
using Serverless.ControlPlane.Commands;

namespace Serverless.ControlPlane.Operations;

/// <summary>
/// Reads what <see cref="StallDetector"/> needs for one operation: the commands it and its children sent (the latest
/// <see cref="RecentCommands"/>), which were answered, and when the groups still owing an answer were last heard.
/// </summary>
public sealed class OperationStallService(ICommandLog log, ICommandResultStore results, IAgentGroupStore groups, IOptions<OperationOptions> options, TimeProvider clock)
{
    /// <summary>Older commands cannot hold the latest progress of a workflow that sends one step after another.</summary>
    public const int RecentCommands = 20;

    public async Task<OperationStall?> CheckAsync(
        string tenantId, string instanceId, OperationStatus status, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var threshold = TimeSpan.FromSeconds(options.Value.StalledAfterSeconds);

        // Nothing younger than the threshold can have stalled, nor anything finished: no reads for those.
        if (status is not (OperationStatus.Pending or OperationStatus.Running) || now - createdAt < threshold)
        {
            return null;
        }

        var sent = (await log.ListForInstanceAsync(tenantId, instanceId, cancellationToken))
            .OrderByDescending(c => c.IssuedAt)
            .Take(RecentCommands)
            .ToList();
        var answers = await Task.WhenAll(sent.Select(c => results.GetAsync(tenantId, c.CommandId, cancellationToken)));
        var commands = sent.Select((c, i) => new OperationCommand(c.Kind, c.Zone, c.IssuedAt, c.Deadline, answers[i]?.Timings.CompletedAt)).ToList();

        var waitingGroups = commands.Where(c => c.AnsweredAt is null).Select(c => c.AgentGroup).Distinct(StringComparer.Ordinal).ToList();
        var heard = await Task.WhenAll(waitingGroups.Select(g => groups.GetAsync(tenantId, g, cancellationToken)));
        var lastHeard = waitingGroups.Select((g, i) => (g, heard[i]?.LastHeardAt)).ToDictionary(p => p.g, p => p.LastHeardAt, StringComparer.Ordinal);
        return StallDetector.Check(status, createdAt, commands, group => lastHeard.GetValueOrDefault(group), now, threshold);
    }
}

using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Snmp;

namespace Serverless.RelayAgent.Handlers;

/// <summary><c>metrics.poll</c>: reads the load metrics of many members, appliance members and instances, through <see cref="MemberMetrics"/>.</summary>
public sealed class MetricsPollHandler(MemberMetrics poller, ILogger<MetricsPollHandler> logger) : ICommandHandler
{
    public string Kind => CommandKinds.PollMetrics;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.MetricsPollPayload);
        var targets = CommandPayload.Each(payload.Targets, "targets", MetricsPollPayload.MaxTargets, target => target);
        var output = await poller.PollAsync(poller.Prepare(targets), cancellationToken);
        Logs.MetricsPolled(logger, targets.Count, output.Samples.Count, output.Failures.Count);
        return CommandPayload.Output(output, CommandPayload.Contracts.MetricsPollOutput);
    }
}

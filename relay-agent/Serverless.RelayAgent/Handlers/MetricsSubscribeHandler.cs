using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Snmp;
using Serverless.RelayAgent.Snmp;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>metrics.subscribe</c>: prepares the poll plan once (appliance members and instances) and hands it to <see cref="MetricsSubscriptions"/>, which the
/// <see cref="Channel.MetricsWorker"/> polls on the interval. Members that cannot be polled are named in the answer.
/// </summary>
public sealed class MetricsSubscribeHandler(MemberMetrics poller, MetricsSubscriptions subscriptions, ILogger<MetricsSubscribeHandler> logger) : ICommandHandler
{
    public string Kind => CommandKinds.SubscribeMetrics;

    public Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.MetricsSubscribePayload);
        if (string.IsNullOrWhiteSpace(payload.SubscriptionId) || payload.SubscriptionId.Length > 63)
        {
            throw CommandPayload.Invalid("subscriptionId: required, at most 63 characters.");
        }

        if (payload.Targets is null || payload.Targets.Count == 0)
        {
            subscriptions.Remove(payload.SubscriptionId);
            Logs.MetricsSubscribed(logger, payload.SubscriptionId, 0, 0, 0);
            return Task.FromResult(CommandPayload.Output(new MetricsSubscribeOutput(payload.SubscriptionId, 0, [], null), CommandPayload.Contracts.MetricsSubscribeOutput));
        }

        if (payload.IntervalSeconds is < 1 or > 3600 || payload.LeaseSeconds < 2 * payload.IntervalSeconds || payload.LeaseSeconds > 86_400)
        {
            throw CommandPayload.Invalid("intervalSeconds, leaseSeconds: the interval must be 1 to 3600 s and the lease at least two intervals, at most a day.");
        }

        var targets = CommandPayload.Each(payload.Targets, "targets", MetricsPollPayload.MaxTargets, target => target);
        var plan = poller.Prepare(targets);
        var expiresAt = subscriptions.Put(payload.SubscriptionId, plan, TimeSpan.FromSeconds(payload.IntervalSeconds), TimeSpan.FromSeconds(payload.LeaseSeconds));
        Logs.MetricsSubscribed(logger, payload.SubscriptionId, targets.Count - plan.Refused, plan.Refused, payload.IntervalSeconds);
        var output = new MetricsSubscribeOutput(payload.SubscriptionId, targets.Count - plan.Refused, plan.Refusals, expiresAt);
        return Task.FromResult(CommandPayload.Output(output, CommandPayload.Contracts.MetricsSubscribeOutput));
    }
}

namespace Serverless.Contracts.Snmp;

/// <summary>
/// Payload of <c>metrics.subscribe</c>: poll these members every <paramref name="IntervalSeconds"/> and post their
/// samples to the uplink, until <paramref name="LeaseSeconds"/> pass without the subscription being sent again. The
/// same id replaces the earlier subscription; no targets cancels it.
/// </summary>
/// <param name="SubscriptionId">Who subscribes, for example a pool; at most 63 characters.</param>
/// <param name="IntervalSeconds">How often to poll: 1 to 3600.</param>
/// <param name="LeaseSeconds">How long the subscription lasts unless renewed: at least twice the interval, at most a day.</param>
/// <param name="Targets">The members, at most <see cref="MetricsPollPayload.MaxTargets"/>; may be empty to cancel.</param>
public sealed record MetricsSubscribePayload(string SubscriptionId, int IntervalSeconds, int LeaseSeconds, IReadOnlyList<MetricsPollTarget> Targets);

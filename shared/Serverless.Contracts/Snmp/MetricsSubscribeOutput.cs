namespace Serverless.Contracts.Snmp;

/// <summary>Output of <c>metrics.subscribe</c>.</summary>
/// <param name="SubscriptionId">The subscription.</param>
/// <param name="Targets">How many members the agent polls for it.</param>
/// <param name="Refused">Members it cannot poll (unknown profile or credential, bad index), each with why.</param>
/// <param name="ExpiresAt">When it lapses unless sent again; null when it was cancelled.</param>
public sealed record MetricsSubscribeOutput(string SubscriptionId, int Targets, IReadOnlyList<MetricsPollFailure> Refused, DateTimeOffset? ExpiresAt);

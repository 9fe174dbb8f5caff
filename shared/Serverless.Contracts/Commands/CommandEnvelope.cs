using System.Text.Json;

namespace Serverless.Contracts.Commands;

/// <summary>
/// A command for a relay agent, sent down the tenant's Service Bus queue with SessionId = <see cref="AgentGroup"/> and
/// MessageId = <see cref="CommandId"/>. The agent executes it at most once per <see cref="IdempotencyKey"/> and posts a
/// <see cref="CommandResult"/> back over HTTPS.
/// </summary>
/// <param name="SchemaVersion">Schema version of this message, see <see cref="SchemaVersions"/>.</param>
/// <param name="CommandId">Unique id of this command; also the Service Bus MessageId, so broker duplicate detection applies.</param>
/// <param name="TenantId">The tenant on whose behalf the command runs.</param>
/// <param name="AgentGroup">The agent group (session) that must execute it.</param>
/// <param name="Kind">What to do, for example <c>agent.ping</c>; see <see cref="CommandKinds"/>.</param>
/// <param name="Payload">Kind-specific arguments (a JSON object).</param>
/// <param name="IssuedAt">When the control plane issued the command.</param>
/// <param name="Deadline">After this instant the agent refuses the command with an <c>expired</c> result.</param>
/// <param name="IdempotencyKey">Commands with the same key execute once; repeats get the recorded result.</param>
/// <param name="Correlation">Where the result goes: the orchestration and event waiting for it, if any.</param>
/// <param name="Trace">W3C trace context, so one trace spans HTTP, orchestration, Service Bus, agent and device.</param>
public sealed record CommandEnvelope(
    int SchemaVersion,
    string CommandId,
    string TenantId,
    string AgentGroup,
    string Kind,
    JsonElement Payload,
    DateTimeOffset IssuedAt,
    DateTimeOffset Deadline,
    string IdempotencyKey,
    CommandCorrelation Correlation,
    TraceContext? Trace);

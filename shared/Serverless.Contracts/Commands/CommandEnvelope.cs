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

/// <summary>Names the durable orchestration and external event that wait for a command's result.</summary>
/// <param name="InstanceId">Orchestration instance to notify; null when nobody waits (fire and forget).</param>
/// <param name="EventName">External event to raise with the <see cref="CommandResult"/>.</param>
public sealed record CommandCorrelation(string? InstanceId, string? EventName);

/// <summary>W3C trace context (<c>traceparent</c>, <c>tracestate</c>).</summary>
/// <param name="TraceParent">The <c>traceparent</c> header value.</param>
/// <param name="TraceState">The <c>tracestate</c> header value, if any.</param>
public sealed record TraceContext(string TraceParent, string? TraceState);

/// <summary>Command kinds the agent understands.</summary>
public static class CommandKinds
{
    /// <summary>Answers with the agent's identity and clock: proves the channel end to end.</summary>
    public const string Ping = "agent.ping";

    /// <summary>Answers with the agent's version, uptime, session state and recent command counts.</summary>
    public const string Diagnostics = "agent.diagnostics";

    /// <summary>Tests a candidate resource for registration.</summary>
    public const string VerifyCapabilities = "capabilities.verify";

    /// <summary>Reads OIDs from an SNMP agent.</summary>
    public const string SnmpGet = "snmp.get";

    /// <summary>Sets OIDs on an SNMP agent.</summary>
    public const string SnmpSet = "snmp.set";

    /// <summary>Reads an SNMP subtree.</summary>
    public const string SnmpWalk = "snmp.walk";

    /// <summary>Puts a pool member into service.</summary>
    public const string ActivateMember = "member.activate";

    /// <summary>Takes a pool member out of service.</summary>
    public const string DeactivateMember = "member.deactivate";

    /// <summary>Reads the load metrics of pool members.</summary>
    public const string PollMetrics = "metrics.poll";
}

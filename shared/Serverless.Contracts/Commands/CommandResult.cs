using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Contracts.Commands;

/// <summary>
/// What an agent reports for one command, posted to <c>POST /api/v1/agent/results</c> until acknowledged. A repeated
/// command gets the recorded result again, unchanged.
/// </summary>
/// <param name="SchemaVersion">Schema version of this message, see <see cref="SchemaVersions"/>.</param>
/// <param name="CommandId">The command this answers.</param>
/// <param name="TenantId">The command's tenant.</param>
/// <param name="AgentGroup">The agent group that executed it.</param>
/// <param name="AgentId">The agent that executed it.</param>
/// <param name="Kind">The command's kind.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Output">Kind-specific output (a JSON object) when it succeeded.</param>
/// <param name="Error">Why it did not succeed.</param>
/// <param name="Timings">When the agent received, started and finished it.</param>
/// <param name="Correlation">Copied from the command: the orchestration and event waiting for this result.</param>
/// <param name="Trace">Copied from the command.</param>
public sealed record CommandResult(
    int SchemaVersion,
    string CommandId,
    string TenantId,
    string AgentGroup,
    string AgentId,
    string Kind,
    CommandStatus Status,
    JsonElement? Output,
    CommandError? Error,
    CommandTimings Timings,
    CommandCorrelation Correlation,
    TraceContext? Trace);

/// <summary>How a command ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CommandStatus>))]
public enum CommandStatus
{
    /// <summary>It ran and did what was asked.</summary>
    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    /// <summary>It ran, or tried to, and failed; see the error.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>It reached the agent after its deadline and did not run.</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,

    /// <summary>Nobody answered before the deadline (decided by the control plane, not an agent).</summary>
    [JsonStringEnumMemberName("timedOut")]
    TimedOut,
}

/// <summary>Why a command did not succeed.</summary>
/// <param name="Kind">A stable machine-readable category.</param>
/// <param name="Message">What happened, in words an operator can act on.</param>
public sealed record CommandError(CommandErrorKind Kind, string Message);

/// <summary>Stable categories of command failure.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CommandErrorKind>))]
public enum CommandErrorKind
{
    /// <summary>The agent does not know the command kind.</summary>
    [JsonStringEnumMemberName("unsupported")]
    Unsupported,

    /// <summary>The payload is missing fields or has wrong values.</summary>
    [JsonStringEnumMemberName("invalidPayload")]
    InvalidPayload,

    /// <summary>The target resource could not be reached.</summary>
    [JsonStringEnumMemberName("unreachable")]
    Unreachable,

    /// <summary>The target refused the agent's credentials.</summary>
    [JsonStringEnumMemberName("unauthorized")]
    Unauthorized,

    /// <summary>The target answered with an error.</summary>
    [JsonStringEnumMemberName("deviceError")]
    DeviceError,

    /// <summary>The deadline passed before the command could run.</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,

    /// <summary>No result arrived before the deadline.</summary>
    [JsonStringEnumMemberName("timeout")]
    Timeout,

    /// <summary>A bug or unexpected condition in the agent.</summary>
    [JsonStringEnumMemberName("internal")]
    Internal,
}

/// <summary>When the agent handled a command.</summary>
/// <param name="ReceivedAt">When the agent took the message from its session.</param>
/// <param name="StartedAt">When execution began.</param>
/// <param name="CompletedAt">When execution ended.</param>
public sealed record CommandTimings(DateTimeOffset ReceivedAt, DateTimeOffset StartedAt, DateTimeOffset CompletedAt);

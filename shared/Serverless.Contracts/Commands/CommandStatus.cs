using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.Contracts.Commands;

/// <summary>How a command ended.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<CommandStatus>))]
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

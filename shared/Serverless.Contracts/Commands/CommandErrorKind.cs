using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.Contracts.Commands;

/// <summary>Stable categories of command failure.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<CommandErrorKind>))]
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

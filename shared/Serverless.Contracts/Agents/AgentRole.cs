using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.Contracts.Agents;

/// <summary>Whether an agent holds its group's session.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<AgentRole>))]
public enum AgentRole
{
    /// <summary>It holds the session and executes commands.</summary>
    [JsonStringEnumMemberName("active")]
    Active,

    /// <summary>It waits to take over the session.</summary>
    [JsonStringEnumMemberName("standby")]
    Standby,
}

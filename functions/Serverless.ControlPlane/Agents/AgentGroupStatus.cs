using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Agents;

/// <summary>Whether a zone's agents are heard from.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<AgentGroupStatus>))]
public enum AgentGroupStatus
{
    /// <summary>No agent of the group has ever sent a heartbeat.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown,

    /// <summary>An agent was heard from within the silence limit.</summary>
    [JsonStringEnumMemberName("connected")]
    Connected,

    /// <summary>Silent longer than the limit: commands for the group fail at once.</summary>
    [JsonStringEnumMemberName("disconnected")]
    Disconnected,

    /// <summary>Silent for so long that the agents are probably gone.</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,

    /// <summary>Removed by the tenant: its credentials are revoked; only a newly enrolled agent brings it back.</summary>
    [JsonStringEnumMemberName("removed")]
    Removed,
}

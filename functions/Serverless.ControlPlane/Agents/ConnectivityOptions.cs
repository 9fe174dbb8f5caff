using System.ComponentModel.DataAnnotations;

namespace Serverless.ControlPlane.Agents;

/// <summary>When an agent group counts as disconnected (section <c>Connectivity</c>).</summary>
public sealed class ConnectivityOptions
{
    public const string SectionName = "Connectivity";

    /// <summary>Silence after which a group is Disconnected: three heartbeat intervals of the agents' default 60 s.</summary>
    [Range(5, 86_400)]
    public int DisconnectedAfterSeconds { get; set; } = 180;

    /// <summary>Silence after which a group is Expired: its agents are probably gone for good.</summary>
    [Range(1, 8_760)]
    public int ExpiredAfterHours { get; set; } = 24;
}

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Serverless.RelayAgent;

/// <summary>
/// The agent's configuration (section <c>RelayAgent</c>): from <c>appsettings.json</c>, a file given with
/// <c>--config</c>, and environment variables such as <c>RelayAgent__AgentId</c>, later sources winning.
/// </summary>
public sealed class RelayAgentOptions
{
    public const string SectionName = "RelayAgent";

    /// <summary>This agent's id, unique within its tenant.</summary>
    [Required]
    [RegularExpression("^[a-z]([a-z0-9-]*[a-z0-9])?$")]
    public string AgentId { get; set; } = string.Empty;

    /// <summary>The agent group (the zone) whose Service Bus session this agent holds or stands by for.</summary>
    [Required]
    [RegularExpression("^[a-z]([a-z0-9-]*[a-z0-9])?$")]
    public string AgentGroup { get; set; } = string.Empty;

    /// <summary>The tenant the agent serves; commands of another tenant are refused.</summary>
    [Required]
    public string TenantId { get; set; } = string.Empty;

    /// <summary>Service Bus connection string with Listen on the tenant's queue (a secret: set it by environment or file).</summary>
    [Required]
    public string ServiceBusConnection { get; set; } = string.Empty;

    /// <summary>The tenant's command queue, for example <c>commands-contoso</c>.</summary>
    [Required]
    public string QueueName { get; set; } = string.Empty;

    /// <summary>Base URL of the control plane's HTTP API, for example <c>https://contoso-cp.azurewebsites.net/</c>.</summary>
    [Required]
    [Url]
    public string ControlPlaneUrl { get; set; } = string.Empty;

    /// <summary>The agent's uplink credential, <c>sa1.&lt;id&gt;.&lt;secret&gt;</c> (a secret).</summary>
    [Required]
    public string Credential { get; set; } = string.Empty;

    /// <summary>How often to post a heartbeat.</summary>
    [Range(1, 3600)]
    public int HeartbeatIntervalSeconds { get; set; } = 60;

    /// <summary>How often a standby agent tries to take its group's session.</summary>
    [Range(0.05, 60)]
    public double StandbyRetrySeconds { get; set; } = 2;

    /// <summary>How long the agent finishes the command in hand after a stop request before abandoning it.</summary>
    [Range(0, 300)]
    public int ShutdownGraceSeconds { get; set; } = 10;

    /// <summary>Optional file that gets one line per command actually executed (not per replayed result).</summary>
    public string? JournalPath { get; set; }
}

/// <summary>The rules above, checked by generated code rather than reflection, so they hold in the native build too.</summary>
[OptionsValidator]
internal sealed partial class RelayAgentOptionsRules : IValidateOptions<RelayAgentOptions>;

using System.ComponentModel.DataAnnotations;

namespace Serverless.ControlPlane.Commands;

/// <summary>How commands travel to agents: one session-enabled Service Bus queue per tenant.</summary>
public sealed class CommandChannelOptions
{
    public const string SectionName = "CommandChannel";

    /// <summary>A tenant's queue is this prefix plus the tenant id, for example <c>commands-contoso</c>.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9.-]{0,40}$")]
    public string QueueNamePrefix { get; set; } = "commands-";

    /// <summary>How long a command may take, from issue to result, unless the caller says otherwise.</summary>
    [Range(1, 86_400)]
    public int DefaultTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Per tenant id, the Listen-only Service Bus connection string (with <c>EntityPath</c> = the tenant's queue) that
    /// enrolment hands to the tenant's agents; in Azure a Key Vault reference. A tenant without one gets no connection
    /// at enrolment and its agents are configured by hand.
    /// </summary>
    public Dictionary<string, string> AgentConnections { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public string QueueNameFor(string tenantId) => QueueNamePrefix + tenantId;

    public string? AgentConnectionFor(string tenantId) => AgentConnections.TryGetValue(tenantId, out var connection) && connection.Length > 0 ? connection : null;
}

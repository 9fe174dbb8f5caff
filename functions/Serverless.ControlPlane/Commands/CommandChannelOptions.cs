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

    public string QueueNameFor(string tenantId) => QueueNamePrefix + tenantId;
}

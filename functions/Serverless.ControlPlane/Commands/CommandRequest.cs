using System.Text.Json;
using Serverless.Contracts.Commands;

namespace Serverless.ControlPlane.Commands;

/// <summary>
/// What an orchestration asks an agent group to do. The command id comes from the orchestration (deterministic), so a
/// replayed or retried send produces the same command. <see cref="ParentInstanceId"/> names the workflow that started the
/// sender as a child, for the command log only.
/// </summary>
public sealed record CommandRequest(
    string CommandId,
    string TenantId,
    string AgentGroup,
    string Kind,
    JsonElement Payload,
    DateTimeOffset IssuedAt,
    int TimeoutSeconds,
    CommandCorrelation Correlation,
    TraceContext? Trace,
    string? ParentInstanceId = null)
{
    /// <summary>The external event an orchestration waits on for this command's result.</summary>
    public static string ResultEventName(string commandId) => $"CommandResult:{commandId}";
}

using System.Text.Json;

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

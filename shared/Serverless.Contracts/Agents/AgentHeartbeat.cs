namespace Serverless.Contracts.Agents;

/// <summary>An agent's periodic sign of life, posted to <c>POST /api/v1/agent/heartbeats</c>.</summary>
/// <param name="SchemaVersion">Schema version of this message, see <see cref="SchemaVersions"/>.</param>
/// <param name="AgentId">The agent.</param>
/// <param name="AgentGroup">Its agent group.</param>
/// <param name="SentAt">When the agent sent it.</param>
/// <param name="AgentVersion">The agent's build version.</param>
/// <param name="HostName">The machine it runs on.</param>
/// <param name="StartedAt">When the agent process started.</param>
/// <param name="Role">Whether it holds its group's session (active) or waits for it (standby).</param>
/// <param name="CommandsExecuted">Commands executed since start.</param>
/// <param name="LastCommandAt">When it last finished a command, if ever.</param>
public sealed record AgentHeartbeat(
    int SchemaVersion,
    string AgentId,
    string AgentGroup,
    DateTimeOffset SentAt,
    string AgentVersion,
    string HostName,
    DateTimeOffset StartedAt,
    AgentRole Role,
    long CommandsExecuted,
    DateTimeOffset? LastCommandAt);

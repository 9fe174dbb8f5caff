using Serverless.Contracts.Agents;

namespace Serverless.RelayAgent;

/// <summary>What the agent reports about itself in heartbeats and diagnostics; updated by the session worker.</summary>
public sealed class AgentStatus(TimeProvider clock)
{
    private long _commandsExecuted;
    private long _lastCommandTicks;
    private volatile int _role = (int)AgentRole.Standby;

    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();

    public AgentRole Role
    {
        get => (AgentRole)_role;
        set => _role = (int)value;
    }

    public long CommandsExecuted => Interlocked.Read(ref _commandsExecuted);

    public DateTimeOffset? LastCommandAt => Interlocked.Read(ref _lastCommandTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public static string Version { get; } = typeof(AgentStatus).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public void CommandExecuted(DateTimeOffset at)
    {
        Interlocked.Increment(ref _commandsExecuted);
        Interlocked.Exchange(ref _lastCommandTicks, at.UtcTicks);
    }
}

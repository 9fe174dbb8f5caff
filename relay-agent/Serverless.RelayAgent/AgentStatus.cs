using Serverless.Contracts.Agents;

namespace Serverless.RelayAgent;

/// <summary>What the agent reports about itself in heartbeats and diagnostics; updated by the session worker.</summary>
public sealed class AgentStatus(TimeProvider clock)
{
    private long _commandsExecuted;
    private long _lastCommandTicks;
    private volatile int _role = (int)AgentRole.Standby;
    private CancellationTokenSource _roleChange = new();

    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();

    public AgentRole Role
    {
        get => (AgentRole)_role;
        set
        {
            if (Interlocked.Exchange(ref _role, (int)value) != (int)value)
            {
                // Wake whoever waits for a change (the heartbeat worker); later waiters get a fresh token.
                Interlocked.Exchange(ref _roleChange, new CancellationTokenSource()).Cancel();
            }
        }
    }

    /// <summary>Cancelled when <see cref="Role"/> next changes.</summary>
    public CancellationToken RoleChanged => _roleChange.Token;

    public long CommandsExecuted => Interlocked.Read(ref _commandsExecuted);

    public DateTimeOffset? LastCommandAt => Interlocked.Read(ref _lastCommandTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public static string Version { get; } = typeof(AgentStatus).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>The exit code when the control plane has revoked this agent's credential: a service manager should not restart it.</summary>
    public const int RevokedExitCode = 3;

    private volatile bool _credentialRevoked;

    /// <summary>Set when the control plane answered that this agent's credential is revoked; the agent then stops.</summary>
    public bool CredentialRevoked => _credentialRevoked;

    /// <summary>Records the revocation; true only for the first caller, who stops the agent.</summary>
    public bool MarkCredentialRevoked()
    {
        var first = !_credentialRevoked;
        _credentialRevoked = true;
        return first;
    }

    public void CommandExecuted(DateTimeOffset at)
    {
        Interlocked.Increment(ref _commandsExecuted);
        Interlocked.Exchange(ref _lastCommandTicks, at.UtcTicks);
    }
}

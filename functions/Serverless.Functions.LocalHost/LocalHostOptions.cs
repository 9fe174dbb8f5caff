namespace Serverless.Functions.LocalHost;

/// <summary>The local host's own settings (section <c>LocalHost</c>; environment variables <c>LocalHost__Port</c> etc.).</summary>
internal sealed class LocalHostOptions
{
    public const string SectionName = "LocalHost";

    public const int DefaultPort = 7071;

    /// <summary>The HTTP port, 7071 by default as with Functions Core Tools.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The admin (master) key: admin-level functions and <c>/admin</c> routes; also accepted for function level.</summary>
    public string? MasterKey { get; set; }

    /// <summary>The default function key, accepted for function-level functions.</summary>
    public string? FunctionKey { get; set; }

    /// <summary>Overrides host.json's durable queue polling interval (for benchmarks).</summary>
    public TimeSpan? MaxQueuePollingInterval { get; set; }

    /// <summary>Overrides host.json's extendedSessionsEnabled: off, every episode of an orchestration replays its history.</summary>
    public bool? ExtendedSessionsEnabled { get; set; }

    /// <summary>How long a queue message taken by a host that died stays invisible.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The durable worker id; keep it stable across restarts so partitions are re-acquired without a lease wait.</summary>
    public string WorkerId { get; set; } = Environment.MachineName;

    /// <summary>
    /// Verbose logs (<c>--verbose</c>): ASP.NET Core's request lines and every invocation, the agents' heartbeats and
    /// metrics included. Off: one line per invocation, those two only when they fail, and warnings and errors.
    /// </summary>
    public bool Verbose { get; set; }

    /// <summary>Identifies this host in timer schedule status blobs.</summary>
    public string HostId { get; set; } = "localhost";
}

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

    /// <summary>
    /// DTFx renews the visibility of the messages it works on no sooner than every 5 s, so a shorter timeout lets an
    /// orchestration's messages reappear while it runs: they are taken again and again and the orchestration stalls.
    /// </summary>
    public static readonly TimeSpan MinimumVisibilityTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long an orchestration's queue message taken by a host that died stays invisible (at least 10 s).</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an activity's queue message taken by a host that died stays invisible; <see cref="VisibilityTimeout"/>
    /// when unset. Crash tests set it short so the restarted host retries the killed activity soon; an activity that
    /// runs longer than this may be run twice, which activities, being idempotent, allow.
    /// </summary>
    public TimeSpan? ActivityVisibilityTimeout { get; set; }

    /// <summary>The visibility timeouts, refused with the reason when too short.</summary>
    public (TimeSpan Orchestrations, TimeSpan Activities) VisibilityTimeouts()
    {
        if (VisibilityTimeout < MinimumVisibilityTimeout)
        {
            throw new InvalidOperationException(
                $"LocalHost__VisibilityTimeout is {VisibilityTimeout}; it must be at least {MinimumVisibilityTimeout}: the durable worker renews the messages it works on only every 5 s, so with less an orchestration's messages come back while it runs and it stalls. To retry a killed activity sooner, set LocalHost__ActivityVisibilityTimeout.");
        }

        var activities = ActivityVisibilityTimeout ?? VisibilityTimeout;
        if (activities < TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException($"LocalHost__ActivityVisibilityTimeout is {activities}; it must be at least 1 s.");
        }

        return (VisibilityTimeout, activities);
    }

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

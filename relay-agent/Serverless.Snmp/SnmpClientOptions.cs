namespace Serverless.Snmp;

/// <summary>Per-request timing: each try waits <see cref="Timeout"/>, and a request is sent 1 + <see cref="Retries"/> times.</summary>
public sealed record SnmpClientOptions(TimeSpan Timeout, int Retries)
{
    public static SnmpClientOptions Default { get; } = new(TimeSpan.FromSeconds(1), 2);
}

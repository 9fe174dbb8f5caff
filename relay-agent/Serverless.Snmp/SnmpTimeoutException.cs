using System.Net;

namespace Serverless.Snmp;

/// <summary>No answer came from the target within the timeout, after every retry.</summary>
public sealed class SnmpTimeoutException(IPEndPoint target, int attempts, TimeSpan timeout, string? hint = null)
    : TimeoutException($"{target} did not answer within {timeout.TotalSeconds:0.###} s ({attempts} {(attempts == 1 ? "try" : "tries")}).{(hint is null ? string.Empty : " " + hint)}")
{
    public IPEndPoint Target { get; } = target;
}

using System.Net;

namespace Serverless.Snmp;

/// <summary>The agent answered with an error-status; <see cref="Index"/> is the 1-based position of the binding at fault.</summary>
public sealed class SnmpErrorException(ErrorStatus status, int index, VarBind? binding)
    : Exception($"The agent answered {status} (error-index {index}{(binding is null ? string.Empty : $", {binding.Oid}")}).")
{
    public ErrorStatus Status { get; } = status;

    public int Index { get; } = index;

    public VarBind? Binding { get; } = binding;
}

/// <summary>No answer came from the target within the timeout, after every retry.</summary>
public sealed class SnmpTimeoutException(IPEndPoint target, int attempts, TimeSpan timeout, string? hint = null)
    : TimeoutException($"{target} did not answer within {timeout.TotalSeconds:0.###} s ({attempts} {(attempts == 1 ? "try" : "tries")}).{(hint is null ? string.Empty : " " + hint)}")
{
    public IPEndPoint Target { get; } = target;
}

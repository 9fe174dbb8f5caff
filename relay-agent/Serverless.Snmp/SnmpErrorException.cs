namespace Serverless.Snmp;

/// <summary>The agent answered with an error-status; <see cref="Index"/> is the 1-based position of the binding at fault.</summary>
public sealed class SnmpErrorException(ErrorStatus status, int index, VarBind? binding)
    : Exception($"The agent answered {status} (error-index {index}{(binding is null ? string.Empty : $", {binding.Oid}")}).")
{
    public ErrorStatus Status { get; } = status;

    public int Index { get; } = index;

    public VarBind? Binding { get; } = binding;
}

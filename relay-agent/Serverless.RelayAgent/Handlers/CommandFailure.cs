using Serverless.Contracts.Commands;

namespace Serverless.RelayAgent.Handlers;

/// <summary>A handler's expected failure: its category and a message for the operator.</summary>
public sealed class CommandFailure(CommandErrorKind kind, string message) : Exception(message)
{
    public CommandErrorKind Kind { get; } = kind;
}

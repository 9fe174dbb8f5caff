namespace Serverless.Contracts.Commands;

/// <summary>Why a command did not succeed.</summary>
/// <param name="Kind">A stable machine-readable category.</param>
/// <param name="Message">What happened, in words an operator can act on.</param>
public sealed record CommandError(CommandErrorKind Kind, string Message);

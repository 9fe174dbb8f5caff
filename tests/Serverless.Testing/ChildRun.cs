namespace Serverless.Testing;

/// <summary>How a program run to its end by <see cref="ChildProcess.RunAsync"/> ended, with all it wrote.</summary>
public sealed record ChildRun(int ExitCode, string Output, string Error);

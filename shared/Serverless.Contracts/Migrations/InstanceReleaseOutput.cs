namespace Serverless.Contracts.Migrations;

/// <summary>Output of <c>instance.release</c>: what was done at the source.</summary>
/// <param name="Name">The domain's name.</param>
/// <param name="Done">Each effect, in words.</param>
public sealed record InstanceReleaseOutput(string Name, IReadOnlyList<string> Done);

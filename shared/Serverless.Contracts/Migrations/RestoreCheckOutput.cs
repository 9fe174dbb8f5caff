namespace Serverless.Contracts.Migrations;

/// <summary>Output of <c>instance.restoreCheck</c>: every reason the target cannot take the domain; none when it can.</summary>
/// <param name="Reasons">Each reason, in words.</param>
/// <param name="Pool">The storage pool the disk would go to.</param>
public sealed record RestoreCheckOutput(IReadOnlyList<string> Reasons, string? Pool);

namespace Serverless.Contracts.Migrations;

/// <summary>Output of <c>instance.save</c>.</summary>
/// <param name="Name">The domain's name.</param>
/// <param name="StateBytes">The state file's size.</param>
/// <param name="Seconds">How long the save took (0 when it had been made before).</param>
public sealed record InstanceSaveOutput(string Name, long StateBytes, double Seconds);

namespace Serverless.Contracts.Instances;

/// <summary>Output of <c>resource.uninstall</c>.</summary>
/// <param name="ResourceId">The resource.</param>
/// <param name="Released">What the agent let go of, in words; empty when it held nothing for the resource.</param>
public sealed record ResourceUninstallOutput(string ResourceId, IReadOnlyList<string> Released);

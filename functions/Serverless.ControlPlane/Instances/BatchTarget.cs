namespace Serverless.ControlPlane.Instances;

/// <summary>One instance a batch acts on, and its zone.</summary>
public sealed record BatchTarget(string Name, string? Zone);

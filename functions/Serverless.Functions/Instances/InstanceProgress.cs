namespace Serverless.Functions.Instances;

/// <summary>An instance workflow's custom status: the step it is at, and the host once placed.</summary>
public sealed record InstanceProgress(string Step, string? Host = null);

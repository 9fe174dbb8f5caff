namespace Serverless.ControlPlane.Health;

public sealed record DependencyHealth(string Name, bool Healthy, long DurationMs, string? Error);

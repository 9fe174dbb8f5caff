namespace Serverless.ControlPlane.Health;

public sealed record HealthReport(string Version, bool Healthy, IReadOnlyList<DependencyHealth> Dependencies);

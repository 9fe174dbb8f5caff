using Serverless.ControlPlane.Health;

namespace Serverless.Functions.Health;

public sealed record HealthResponse(string Status, string Version, IReadOnlyDictionary<string, DependencyHealthResponse> Dependencies)
{
    public static HealthResponse From(HealthReport report) => new(
        report.Healthy ? "healthy" : "unhealthy",
        report.Version,
        report.Dependencies.ToDictionary(d => d.Name, d => new DependencyHealthResponse(d.Healthy ? "healthy" : "unhealthy", d.DurationMs, d.Error)));
}

namespace Serverless.ControlPlane.Migrations;

/// <summary>
/// A migration's health check: after the instance runs at the target, its agent must get a TCP connection accepted on
/// <paramref name="Port"/> within <paramref name="TimeoutSeconds"/>, or the migration falls back to the source.
/// </summary>
/// <param name="Port">The TCP port, 1 to 65535.</param>
/// <param name="Address">An IP address or host name to connect to; by default the instance's own address as the target host knows it.</param>
/// <param name="TimeoutSeconds">How long to keep trying, 1 to 600 (default 60).</param>
public sealed record MigrationHealthCheck(int? Port, string? Address, int? TimeoutSeconds);

namespace Serverless.Contracts.Migrations;

/// <summary>
/// <c>instance.healthCheck</c>, at a migration's target once the restored instance runs: connect over TCP to
/// <paramref name="Port"/> on <paramref name="Address"/>, or on the instance's own address as its host knows it (DHCP
/// lease, then ARP), again every second until one connection is accepted or <paramref name="TimeoutSeconds"/> pass.
/// </summary>
/// <param name="Uri">The target host's libvirt URI (to find the instance's address).</param>
/// <param name="Name">The domain's name.</param>
/// <param name="Address">An IP address or host name to connect to instead of the instance's own address.</param>
/// <param name="Port">The TCP port, 1 to 65535.</param>
/// <param name="TimeoutSeconds">How long to keep trying, 1 to 600.</param>
public sealed record HealthCheckPayload(string Uri, string Name, string? Address, int Port, int TimeoutSeconds);

namespace Serverless.Contracts.Migrations;

/// <summary>Output of <c>instance.healthCheck</c>: where a connection was accepted, after how many tries and how long.</summary>
/// <param name="Address">The address connected to.</param>
/// <param name="Port">The TCP port.</param>
/// <param name="Attempts">Connection attempts, the accepted one included.</param>
/// <param name="Milliseconds">From the first attempt to the accepted connection.</param>
public sealed record HealthCheckOutput(string Address, int Port, int Attempts, long Milliseconds);

namespace Serverless.Testing;

/// <summary>
/// What a test relay agent is and where it connects. <paramref name="Executable"/> runs a published native agent
/// instead of the built assembly under <c>dotnet</c>.
/// </summary>
public sealed record RelayAgentSettings(
    string AgentId,
    string AgentGroup,
    string TenantId,
    string ServiceBusConnection,
    string QueueName,
    Uri ControlPlaneUrl,
    string Credential,
    double StandbyRetrySeconds = 0.25,
    int HeartbeatIntervalSeconds = 5,
    IReadOnlyDictionary<string, string>? Environment = null,
    string? Executable = null);

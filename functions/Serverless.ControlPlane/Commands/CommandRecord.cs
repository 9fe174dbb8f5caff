namespace Serverless.ControlPlane.Commands;

/// <summary>An entry of the command audit log: what was asked of which agent group, and for which workflow.</summary>
public sealed record CommandRecord(
    string TenantId,
    string CommandId,
    string Kind,
    string Zone,
    string Target,
    DateTimeOffset IssuedAt,
    DateTimeOffset Deadline,
    string CorrelationInstanceId,
    string ResultEventName);

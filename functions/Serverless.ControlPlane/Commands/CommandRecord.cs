namespace Serverless.ControlPlane.Commands;

/// <summary>
/// An entry of the command audit log: what was asked of which agent group, and for which workflow (and the workflow
/// that started that one as a child, so a stack or batch operation sees its children's commands).
/// </summary>
public sealed record CommandRecord(
    string TenantId,
    string CommandId,
    string Kind,
    string Zone,
    string Target,
    DateTimeOffset IssuedAt,
    DateTimeOffset Deadline,
    string CorrelationInstanceId,
    string ResultEventName,
    string? ParentInstanceId = null);

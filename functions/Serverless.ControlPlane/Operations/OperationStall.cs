namespace Serverless.ControlPlane.Operations;

/// <summary>An operation that has made no progress for a while, since when, and what it is waiting on, in words.</summary>
public sealed record OperationStall(DateTimeOffset Since, string Reason);

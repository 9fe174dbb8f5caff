namespace Serverless.ControlPlane.Operations;

/// <summary>A command an operation (or one of its child operations) sent, and when its result came, if it did.</summary>
public sealed record OperationCommand(string Kind, string AgentGroup, DateTimeOffset IssuedAt, DateTimeOffset Deadline, DateTimeOffset? AnsweredAt);

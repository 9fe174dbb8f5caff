namespace Serverless.Contracts.Commands;

/// <summary>When the agent handled a command.</summary>
/// <param name="ReceivedAt">When the agent took the message from its session.</param>
/// <param name="StartedAt">When execution began.</param>
/// <param name="CompletedAt">When execution ended.</param>
public sealed record CommandTimings(DateTimeOffset ReceivedAt, DateTimeOffset StartedAt, DateTimeOffset CompletedAt);

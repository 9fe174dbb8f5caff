namespace Serverless.Contracts.Commands;

/// <summary>Names the durable orchestration and external event that wait for a command's result.</summary>
/// <param name="InstanceId">Orchestration instance to notify; null when nobody waits (fire and forget).</param>
/// <param name="EventName">External event to raise with the <see cref="CommandResult"/>.</param>
public sealed record CommandCorrelation(string? InstanceId, string? EventName);

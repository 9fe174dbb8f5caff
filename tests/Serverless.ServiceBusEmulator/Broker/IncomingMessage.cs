namespace Serverless.ServiceBusEmulator.Broker;

/// <summary>A message arriving from a sender, before it gets a sequence number.</summary>
public sealed record IncomingMessage(byte[] Encoded, string? MessageId, string? SessionId, TimeSpan? TimeToLive, DateTime? ScheduledFor);

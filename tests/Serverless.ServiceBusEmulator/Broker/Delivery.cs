namespace Serverless.ServiceBusEmulator.Broker;

/// <summary>One message handed to a receiver, with the lock it holds (empty for receive-and-delete).</summary>
public sealed record Delivery(StoredMessage Message, Guid LockToken, DateTime LockedUntil, int DeliveryCount);

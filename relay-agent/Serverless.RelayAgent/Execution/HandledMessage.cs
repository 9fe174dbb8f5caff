namespace Serverless.RelayAgent.Execution;

/// <summary>What became of a message: settled (with the settlement possibly still in flight) or left for redelivery.</summary>
public readonly record struct HandledMessage(bool Settled, Task Settlement)
{
    public static HandledMessage Unsettled { get; } = new(false, Task.CompletedTask);
}

namespace Serverless.ControlPlane.Pools;

/// <summary>The active-member bounds in force at one instant, and the schedule window that sets them (null: the policy's own).</summary>
public sealed record PoolBounds(int MinActive, int MaxActive, PoolWindow? Window)
{
    /// <summary>How a reason names where the bounds come from.</summary>
    public string Source => Window is null ? string.Empty : $" (window '{Window.Name}')";
}

namespace Serverless.ControlPlane.Instances;

/// <summary>How a launch or an action ended: the operation's result. A refused or undone launch is a result, not a workflow failure.</summary>
/// <param name="Name">The instance.</param>
/// <param name="State">Its state at the end.</param>
/// <param name="Reason">Why, when it did not get where it was asked to.</param>
/// <param name="HostId">Its host.</param>
/// <param name="Zone">Its zone.</param>
public sealed record InstanceOutcome(string Name, LifecycleState State, string? Reason, string? HostId, string? Zone);

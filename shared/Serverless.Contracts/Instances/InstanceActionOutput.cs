namespace Serverless.Contracts.Instances;

/// <summary>Output of <c>instance.reboot</c>, <c>instance.suspend</c> and <c>instance.resume</c>: the state after the action.</summary>
/// <param name="Name">The domain's name.</param>
/// <param name="State">Its state now.</param>
public sealed record InstanceActionOutput(string Name, InstanceState State);

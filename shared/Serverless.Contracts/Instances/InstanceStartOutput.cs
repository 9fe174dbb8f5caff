namespace Serverless.Contracts.Instances;

/// <summary>Output of <c>instance.start</c>: the state the host reports after the start.</summary>
/// <param name="Name">The domain's name.</param>
/// <param name="State">Its state now.</param>
public sealed record InstanceStartOutput(string Name, InstanceState State);

namespace Serverless.Contracts.Instances;

/// <summary>Output of <c>instance.define</c>.</summary>
/// <param name="Name">The domain's name.</param>
/// <param name="State">Its state now (shut off once defined).</param>
/// <param name="Volume">The cloned disk.</param>
/// <param name="Created">False when this command found the domain already defined for the instance (a repeat).</param>
public sealed record InstanceDefineOutput(string Name, InstanceState State, InstanceVolume Volume, bool Created);

namespace Serverless.Contracts.Instances;

/// <summary>Output of <c>instance.stop</c>: the state the host reports after the stop.</summary>
/// <param name="Name">The domain's name.</param>
/// <param name="State">Its state now.</param>
/// <param name="Forced">Whether the guest ignored the shutdown for the grace period and was destroyed.</param>
/// <param name="Found">
/// False when the host holds no domain of that name (never defined, or a transient domain that has ended): nothing runs
/// under the name, and <paramref name="State"/> says <see cref="InstanceState.ShutOff"/>.
/// </param>
public sealed record InstanceStopOutput(string Name, InstanceState State, bool Forced, bool Found = true);

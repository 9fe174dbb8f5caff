namespace Serverless.Contracts.Instances;

/// <summary><c>instance.start</c>: start a defined instance; one already running is left as it is.</summary>
/// <param name="Uri">The host's libvirt URI; the agent must list it in its configuration.</param>
/// <param name="Name">The domain's name.</param>
public sealed record InstanceStartPayload(string Uri, string Name);

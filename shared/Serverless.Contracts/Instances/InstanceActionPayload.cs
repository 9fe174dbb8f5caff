namespace Serverless.Contracts.Instances;

/// <summary>
/// <c>instance.reboot</c>, <c>instance.suspend</c> (quiesce: paused in memory) and <c>instance.resume</c>. Each is
/// harmless to repeat: a paused instance is not paused again, a running one not resumed again.
/// </summary>
/// <param name="Uri">The host's libvirt URI; the agent must list it in its configuration.</param>
/// <param name="Name">The domain's name.</param>
public sealed record InstanceActionPayload(string Uri, string Name);

namespace Serverless.Contracts.Instances;

/// <summary>
/// <c>instance.terminate</c>: power the domain off, undefine it and delete its disk. What is already gone counts as
/// done, so a repeat after a crash finishes the job.
/// </summary>
/// <param name="Uri">The host's libvirt URI; the agent must list it in its configuration.</param>
/// <param name="Name">The domain's name.</param>
/// <param name="InstanceId">The instance's id: a domain of that name that carries another id (or none) is left alone.</param>
/// <param name="Volume">The disk to delete, when the instance got one.</param>
public sealed record InstanceTerminatePayload(string Uri, string Name, string InstanceId, InstanceVolume? Volume);

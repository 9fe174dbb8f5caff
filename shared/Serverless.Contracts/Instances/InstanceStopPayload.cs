namespace Serverless.Contracts.Instances;

/// <summary>
/// <c>instance.stop</c>: shut an instance down gracefully; if it is still up after <paramref name="GraceSeconds"/>,
/// destroy it. An instance that is already off is left as it is.
/// </summary>
/// <param name="Uri">The host's libvirt URI; the agent must list it in its configuration.</param>
/// <param name="Name">The domain's name.</param>
/// <param name="GraceSeconds">How long the guest may take to shut down (0 to 3600; 60 when absent); 0 powers it off at once.</param>
public sealed record InstanceStopPayload(string Uri, string Name, int? GraceSeconds = null);

namespace Serverless.Contracts.Instances;

/// <summary>
/// <c>instance.adopt</c>: take a domain someone else made on the host under management, as instance
/// <paramref name="InstanceId"/>. The agent stamps the id into the domain's metadata, which is how every later command
/// recognises the domain as the instance's; a domain that already carries another instance's id is refused.
/// </summary>
/// <param name="Uri">The host's libvirt URI.</param>
/// <param name="Name">The domain's name on the host.</param>
/// <param name="InstanceId">The managed instance's id (tenant/name).</param>
public sealed record InstanceAdoptPayload(string Uri, string Name, string InstanceId);

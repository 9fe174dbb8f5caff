namespace Serverless.Contracts.Migrations;

/// <summary><c>instance.describe</c>: what a migration's preflight needs of the source domain; changes nothing.</summary>
/// <param name="Uri">The host's libvirt URI; the agent must list it in its configuration.</param>
/// <param name="Name">The domain's name.</param>
/// <param name="InstanceId">The instance's id (<c>tenant/name</c>): a domain of the name without it is refused.</param>
public sealed record InstanceDescribePayload(string Uri, string Name, string InstanceId);

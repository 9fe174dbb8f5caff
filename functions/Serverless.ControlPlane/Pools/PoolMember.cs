namespace Serverless.ControlPlane.Pools;

/// <summary>A validated member: where it lives and how it is driven.</summary>
/// <param name="MemberId">Its name in the pool.</param>
/// <param name="ResourceId">The registered appliance or host.</param>
/// <param name="Zone">The resource's zone; commands go to that zone's agent group.</param>
/// <param name="Index">Appliance-managed: the member index.</param>
/// <param name="Instance">Agent-managed: the libvirt domain.</param>
/// <param name="CostPerHour">What the member costs while it runs, for the policy's budget (0: nothing, as a client-zone device may).</param>
public sealed record PoolMember(string MemberId, string ResourceId, string Zone, string? Index, string? Instance, double CostPerHour = 0)
{
    public bool IsApplianceManaged => Index is not null;
}

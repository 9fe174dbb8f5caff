namespace Serverless.ControlPlane.Pools;

/// <summary>
/// A member as a request names it: a device behind a registered SNMP appliance (<see cref="Resource"/> + <see cref="Index"/>,
/// driven over SNMP through the appliance's profile) or an instance on a registered virtualization host
/// (<see cref="Resource"/> + <see cref="Instance"/>, started and shut down through libvirt).
/// </summary>
/// <param name="Id">The member's name in the pool.</param>
/// <param name="Resource">The registered appliance or host it lives on; its zone is the member's zone.</param>
/// <param name="Index">For an appliance: the member's index in the profile's tables, for example <c>3</c>.</param>
/// <param name="Instance">For a host: the libvirt domain's name.</param>
public sealed record PoolMemberRequest(string? Id, string? Resource, string? Index = null, string? Instance = null, double? CostPerHour = null);

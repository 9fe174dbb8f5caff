namespace Serverless.Contracts.Snmp;

/// <summary>Output of <c>member.activate</c> and <c>member.deactivate</c>.</summary>
/// <param name="ResourceId">The member.</param>
/// <param name="Active">The state the member is in now.</param>
/// <param name="Applied">The bindings the device confirmed.</param>
/// <param name="Healthy">The profile's health checks read after the change; null when the profile has none or they could not be read.</param>
public sealed record MemberActionOutput(string ResourceId, bool Active, IReadOnlyList<SnmpBinding> Applied, bool? Healthy);

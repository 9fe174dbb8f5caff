using Serverless.Contracts.Snmp;

namespace Serverless.ControlPlane.Registration;

/// <summary>How a command names a member behind a registered appliance: its address, the agent's credential name, its profile, the index.</summary>
public static class ApplianceMembers
{
    public static SnmpMember At(string endpoint, string? credential, string? deviceProfile, string? index) =>
        new(new SnmpDevice(endpoint, credential ?? string.Empty), deviceProfile ?? string.Empty, index);
}

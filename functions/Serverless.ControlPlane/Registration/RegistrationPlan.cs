using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Snmp;

namespace Serverless.ControlPlane.Registration;

/// <summary>A validated registration: the input of the registration orchestration, with the requirements in force when it was accepted.</summary>
public sealed record RegistrationPlan(
    string TenantId,
    string ResourceId,
    string Zone,
    ResourceKind Kind,
    string Endpoint,
    string? DeviceProfile,
    IReadOnlyList<string> ServiceCategories,
    int VerificationTimeoutSeconds,
    string MinimumLibvirtVersion,
    string? Credential = null,
    IReadOnlyList<string>? Members = null)
{
    /// <summary>The <c>capabilities.verify</c> payload for the zone's agent. Pure, so orchestrators may call it.</summary>
    public JsonElement VerificationPayload()
    {
        var payload = Kind == ResourceKind.VirtualizationHost
            ? new VerifyCapabilitiesPayload(null, new LibvirtVerification(Endpoint))
            : new VerifyCapabilitiesPayload(new SnmpVerification(new SnmpDevice(Endpoint, Credential ?? string.Empty), DeviceProfile ?? string.Empty, Members), null);
        return JsonSerializer.SerializeToElement(payload, ContractsJsonContext.Default.VerifyCapabilitiesPayload);
    }
}

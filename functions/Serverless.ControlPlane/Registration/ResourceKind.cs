using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Registration;

/// <summary>What kind of premise resource is being registered, which decides how it is verified and driven.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ResourceKind>))]
public enum ResourceKind
{
    /// <summary>A hypervisor reached through libvirt (KVM/QEMU, ESX, Hyper-V, ...).</summary>
    VirtualizationHost,

    /// <summary>A load balancer, cache, switch or other appliance driven over SNMP with a device profile.</summary>
    SnmpAppliance,
}

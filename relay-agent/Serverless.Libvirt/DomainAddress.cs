using System.Net;

namespace Serverless.Libvirt;

/// <summary>An IP address of a domain's NIC, as a <see cref="DomainAddressSource"/> reported it.</summary>
/// <param name="Interface">The NIC's name on the host (for example <c>vnet3</c>).</param>
/// <param name="HardwareAddress">Its MAC address, when known.</param>
public sealed record DomainAddress(string Interface, string? HardwareAddress, IPAddress Address, int Prefix);

/// <summary>Where libvirt looks for a domain's addresses (<c>virDomainInterfaceAddressesSource</c>).</summary>
public enum DomainAddressSource
{
    /// <summary>The DHCP leases of the libvirt network the NIC is on.</summary>
    Lease = 0,

    /// <summary>The QEMU guest agent inside the domain.</summary>
    Agent = 1,

    /// <summary>The host's ARP table.</summary>
    Arp = 2,
}

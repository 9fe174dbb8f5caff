using System.Xml.Linq;

namespace Serverless.Libvirt;

/// <summary>The parts of the capabilities XML that decide what can run on a host.</summary>
/// <param name="HostArchitecture">The host CPU's architecture, for example <c>x86_64</c>.</param>
/// <param name="Guests">Each guest architecture with its OS type and domain types (<c>kvm</c>, <c>qemu</c>, <c>test</c>, …).</param>
public sealed record HostCapabilities(string HostArchitecture, IReadOnlyList<GuestCapability> Guests)
{
    /// <summary>Parses virConnectGetCapabilities' XML; a document without a host architecture is refused.</summary>
    public static HostCapabilities Parse(string xml)
    {
        var root = XDocument.Parse(xml).Root ?? throw new FormatException("The capabilities XML is empty.");
        var architecture = root.Element("host")?.Element("cpu")?.Element("arch")?.Value
            ?? throw new FormatException("The capabilities XML has no host/cpu/arch.");
        var guests = root.Elements("guest").Select(guest =>
        {
            var arch = guest.Element("arch");
            return new GuestCapability(
                arch?.Attribute("name")?.Value ?? string.Empty,
                guest.Element("os_type")?.Value ?? string.Empty,
                arch?.Elements("domain").Select(d => d.Attribute("type")?.Value ?? string.Empty).Where(t => t.Length > 0).Distinct().ToList() ?? [],
                arch?.Descendants("machine").SelectMany(m => new[] { m.Value, m.Attribute("canonical")?.Value ?? string.Empty }).Where(m => m.Length > 0).Distinct().ToList() ?? []);
        }).ToList();
        return new HostCapabilities(architecture, guests);
    }
}

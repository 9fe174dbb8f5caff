using System.Globalization;
using System.Xml.Linq;
using Serverless.Contracts.Instances;
using Serverless.Libvirt;

namespace Serverless.RelayAgent.Libvirt;

/// <summary>
/// The domain XML of a managed instance, and how to tell one from a domain someone else made: the instance's id sits in
/// the domain's metadata under our namespace.
/// </summary>
public static class DomainDefinition
{
    public static readonly XNamespace Namespace = "https://hybrid-control-plane.dev/xmlns/instance/1";

    /// <summary>
    /// A persistent domain for the instance on this host: the host's best domain type for its own architecture (kvm,
    /// else qemu, else what the driver offers), the cloned disk as virtio, a serial console, and a NIC on
    /// <paramref name="network"/> when one is configured.
    /// </summary>
    public static string Build(InstanceDefinePayload instance, HostCapabilities host, StorageVolumeInfo disk, string? network)
    {
        var guest = host.Guests.FirstOrDefault(g => g.Architecture == host.HostArchitecture && g.OsType == "hvm")
            ?? host.Guests.FirstOrDefault()
            ?? throw new FormatException("the host reports no guest it can run.");
        var type = new[] { "kvm", "qemu" }.FirstOrDefault(guest.DomainTypes.Contains) ?? guest.DomainTypes.First();
        var devices = new XElement("devices",
            new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
                new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", disk.Format)),
                new XElement("source", new XAttribute("file", disk.Path)),
                new XElement("target", new XAttribute("dev", "vda"), new XAttribute("bus", "virtio"))),
            new XElement("serial", new XAttribute("type", "pty")),
            new XElement("console", new XAttribute("type", "pty")));
        if (!string.IsNullOrEmpty(network))
        {
            devices.Add(new XElement("interface", new XAttribute("type", "network"), new XElement("source", new XAttribute("network", network)), new XElement("model", new XAttribute("type", "virtio"))));
        }

        var domain = new XElement("domain", new XAttribute("type", type),
            new XElement("name", instance.Name),
            new XElement("metadata", new XElement(Namespace + "instance", new XAttribute(XNamespace.Xmlns + "hcp", Namespace), new XAttribute("id", instance.InstanceId))),
            new XElement("memory", new XAttribute("unit", "MiB"), instance.MemoryMiB.ToString(CultureInfo.InvariantCulture)),
            new XElement("vcpu", instance.VirtualCpus.ToString(CultureInfo.InvariantCulture)),
            new XElement("os", new XElement("type", new XAttribute("arch", guest.Architecture), "hvm"), new XElement("boot", new XAttribute("dev", "hd"))),
            new XElement("on_crash", "destroy"),
            devices);
        return domain.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The metadata element that marks a domain as an instance's (libvirt adds the namespace and prefix).</summary>
    public static string MetadataElement(string instanceId) => new XElement("instance", new XAttribute("id", instanceId)).ToString(SaveOptions.DisableFormatting);

    /// <summary>The file of the domain's first disk, if it has one backed by a file.</summary>
    public static string? FirstDiskFile(string domainXml) =>
        XElement.Parse(domainXml).Element("devices")?.Elements("disk")
            .FirstOrDefault(d => (string?)d.Attribute("device") is null or "disk")?.Element("source")?.Attribute("file")?.Value;

    /// <summary>The instance id in the domain's metadata; null for a domain this control plane did not define.</summary>
    public static string? InstanceIdOf(string domainXml) =>
        XElement.Parse(domainXml).Element("metadata")?.Element(Namespace + "instance")?.Attribute("id")?.Value;
}

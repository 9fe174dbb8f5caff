using System.Xml.Linq;
using Serverless.Contracts.Migrations;

namespace Serverless.RelayAgent.Migration;

/// <summary>Reads what a restore needs of its host from a domain's XML.</summary>
public static class DomainTraitsReader
{
    public static DomainTraits Read(string domainXml)
    {
        var domain = XElement.Parse(domainXml);
        var type = domain.Element("os")?.Element("type");
        var cpu = domain.Element("cpu");
        return new DomainTraits(
            type?.Attribute("arch")?.Value ?? string.Empty,
            domain.Attribute("type")?.Value ?? string.Empty,
            type?.Attribute("machine")?.Value,
            cpu is null ? null : cpu.Attribute("mode")?.Value ?? "custom",
            cpu?.Element("model")?.Value,
            cpu?.ToString(SaveOptions.DisableFormatting));
    }

    /// <summary>The domain's XML with its first disk's source file replaced by <paramref name="path"/>.</summary>
    public static string WithFirstDisk(string domainXml, string path)
    {
        var domain = XElement.Parse(domainXml);
        var source = domain.Element("devices")?.Elements("disk")
            .FirstOrDefault(d => (string?)d.Attribute("device") is null or "disk")?.Element("source")
            ?? throw new FormatException("the domain has no disk to point at the restored volume.");
        source.SetAttributeValue("file", path);
        return domain.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The domain's XML with every network interface's link down, as if its cable were pulled: a test copy's.</summary>
    public static string WithLinksDown(string domainXml)
    {
        var domain = XElement.Parse(domainXml);
        foreach (var link in Interfaces(domain).Select(i => i.Element("link") ?? Added(i, new XElement("link"))))
        {
            link.SetAttributeValue("state", "down");
        }

        return domain.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>How many network interfaces the domain has, and how many of them have their link down.</summary>
    public static (int Interfaces, int Down) Links(string domainXml)
    {
        var interfaces = Interfaces(XElement.Parse(domainXml)).ToList();
        return (interfaces.Count, interfaces.Count(i => (string?)i.Element("link")?.Attribute("state") == "down"));
    }

    private static IEnumerable<XElement> Interfaces(XElement domain) => domain.Element("devices")?.Elements("interface") ?? [];

    private static XElement Added(XElement parent, XElement child)
    {
        parent.Add(child);
        return child;
    }
}

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
}

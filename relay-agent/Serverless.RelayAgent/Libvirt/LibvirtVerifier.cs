using System.Globalization;
using Serverless.Contracts;
using Serverless.Contracts.Instances;
using Serverless.Libvirt;

namespace Serverless.RelayAgent.Libvirt;

/// <summary>Reports what a virtualization host is and can do (the images it offers included), and the instances it holds; every shortfall in reaching it becomes a problem in the report.</summary>
public sealed class LibvirtVerifier(LibvirtHosts hosts)
{
    public CapabilityVerificationResult Verify(LibvirtVerification request, string commandId)
    {
        var capabilities = new Dictionary<string, string>(StringComparer.Ordinal) { ["libvirt.uri"] = request.Uri };
        if (!hosts.IsAllowed(request.Uri))
        {
            return Report(commandId, false, capabilities,
                $"not allowed: this agent's configuration does not list '{request.Uri}'; add it to {LibvirtAgentOptions.SectionName}:Uris on the agent host.");
        }

        try
        {
            var connection = hosts.Get(request.Uri);
            var hypervisor = connection.GetHypervisor();
            var node = connection.GetNodeInfo();
            var host = connection.GetCapabilities();
            capabilities["libvirt.driver"] = hypervisor.Type;
            capabilities["libvirt.hypervisorVersion"] = hypervisor.Version.ToString();
            capabilities["libvirt.libraryVersion"] = hypervisor.LibraryVersion.ToString();
            capabilities["libvirt.hostName"] = hypervisor.HostName;
            capabilities["libvirt.cpus"] = node.Cpus.ToString(CultureInfo.InvariantCulture);
            capabilities["libvirt.memoryKiB"] = node.MemoryKiB.ToString(CultureInfo.InvariantCulture);
            capabilities["libvirt.architecture"] = host.HostArchitecture;
            capabilities["libvirt.guests"] = string.Join(";", host.Guests.Select(g => $"{g.Architecture}/{g.OsType}:{string.Join(",", g.DomainTypes)}"));
            capabilities["libvirt.domainTypes"] = string.Join(",", host.Guests.SelectMany(g => g.DomainTypes).Distinct().Order(StringComparer.Ordinal));
            capabilities["libvirt.saveRestore"] = hypervisor.SupportsSaveRestore ? "true" : "false";
            capabilities["libvirt.suspendResume"] = hypervisor.SupportsSuspendResume ? "true" : "false";

            // This agent restores a test migration's copy detached and transient; an older one would not know to.
            capabilities["migration.testCopy"] = "true";
            capabilities["libvirt.images"] = string.Join(",", OfferedImages(connection));
            var instances = connection.ListDomains().Select(d => new HostInstance(d.Name, InstanceStates.From(d.State))).ToList();
            return Report(commandId, true, capabilities) with { Instances = instances };
        }
        catch (LibvirtAccessException exception)
        {
            return Report(commandId, false, capabilities, $"wrong credentials: {exception.Message}");
        }
        catch (LibvirtConnectionException exception)
        {
            return Report(commandId, false, capabilities, $"unreachable: {exception.Message}");
        }
        catch (LibvirtException exception)
        {
            return Report(commandId, false, capabilities, $"hypervisor error: {exception.Message}");
        }
        catch (FormatException exception)
        {
            return Report(commandId, true, capabilities, $"hypervisor error: its capabilities XML is unusable: {exception.Message}");
        }
    }

    /// <summary>The configured images whose base volume this host has.</summary>
    private IEnumerable<string> OfferedImages(LibvirtConnection connection)
    {
        foreach (var image in hosts.Options.Images.Keys.Order(StringComparer.Ordinal))
        {
            var location = hosts.Options.BaseVolumeOf(image);
            bool found;
            try
            {
                found = location is { } l && connection.FindVolume(l.Pool, l.Volume) is not null;
            }
            catch (StorageNotFoundException)
            {
                found = false;
            }

            if (found)
            {
                yield return image;
            }
        }
    }

    private static CapabilityVerificationResult Report(string commandId, bool reachable, Dictionary<string, string> capabilities, params string[] problems) =>
        new(SchemaVersions.Current, commandId, reachable, capabilities, problems);
}

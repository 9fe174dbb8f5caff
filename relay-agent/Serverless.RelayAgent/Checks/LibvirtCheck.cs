using Serverless.Libvirt;

namespace Serverless.RelayAgent.Checks;

/// <summary>Whether each configured libvirt URI opens, and what it runs.</summary>
public static class LibvirtCheck
{
    public static CheckOutcome Run(string uri)
    {
        var name = $"libvirt {uri}";
        try
        {
            using var connection = LibvirtConnection.Open(uri);
            var hypervisor = connection.GetHypervisor();
            return CheckOutcome.Ok(name, $"{hypervisor.Type} {hypervisor.Version} on {hypervisor.HostName} (libvirt {hypervisor.LibraryVersion}).");
        }
        catch (DllNotFoundException)
        {
            return CheckOutcome.Failed(name, "libvirt's library (libvirt.so.0) is not installed.", "apt-get install libvirt0 (or your distribution's libvirt client library).");
        }
        catch (LibvirtAccessException exception)
        {
            return CheckOutcome.Failed(name, exception.Message,
                "let the agent's user use the hypervisor: add it to the libvirt group (install.sh --libvirt does) or grant it in libvirt's polkit/ACL rules.");
        }
        catch (LibvirtException exception)
        {
            return CheckOutcome.Failed(name, exception.Message,
                "check the URI in RelayAgent:Libvirt:Uris and that libvirtd (or the remote host it names) is running and reachable from here.");
        }
    }
}

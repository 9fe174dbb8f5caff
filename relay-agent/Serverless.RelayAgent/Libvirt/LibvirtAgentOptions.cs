namespace Serverless.RelayAgent.Libvirt;

/// <summary>Which hypervisors the agent may manage (section <c>RelayAgent:Libvirt</c>).</summary>
public sealed class LibvirtAgentOptions
{
    public const string SectionName = "RelayAgent:Libvirt";

    /// <summary>
    /// The libvirt URIs commands may name, for example <c>qemu:///system</c>. A command naming any other URI is refused:
    /// the agent never connects where its operator did not say.
    /// </summary>
    public List<string> Uris { get; set; } = [];
}

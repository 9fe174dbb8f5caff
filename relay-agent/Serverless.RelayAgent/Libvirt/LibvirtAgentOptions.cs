namespace Serverless.RelayAgent.Libvirt;

/// <summary>Which hypervisors the agent may manage, and the images it offers on them (section <c>RelayAgent:Libvirt</c>).</summary>
public sealed class LibvirtAgentOptions
{
    public const string SectionName = "RelayAgent:Libvirt";

    /// <summary>
    /// The libvirt URIs commands may name, for example <c>qemu:///system</c>. A command naming any other URI is refused:
    /// the agent never connects where its operator did not say.
    /// </summary>
    public List<string> Uris { get; set; } = [];

    /// <summary>
    /// Image name → base volume as <c>pool/volume</c> (<c>RelayAgent__Libvirt__Images__ubuntu-24.04=images/ubuntu.qcow2</c>).
    /// An instance's disk is a clone of its image's base volume in the same pool; a host offers an image when the volume
    /// exists there.
    /// </summary>
    public Dictionary<string, string> Images { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The libvirt network an instance's network interface joins; none when empty.</summary>
    public string? Network { get; set; }

    /// <summary>
    /// Where migrations keep saved state files (a source's until the target runs the instance, a target's while it
    /// restores). Empty: <c>migrations</c> under systemd's <c>$STATE_DIRECTORY</c>, else <c>/var/lib/relay-agent/migrations</c>.
    /// It needs room for a guest's memory per migration under way.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>The folder <see cref="StateDirectory"/> names, or its default.</summary>
    public string StateFolder => StateDirectory is { Length: > 0 } folder
        ? folder
        : Path.Combine(Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } state ? state.Split(':')[0] : "/var/lib/relay-agent", "migrations");

    /// <summary>The base volume of <paramref name="image"/>, or null when the agent offers no such image.</summary>
    public (string Pool, string Volume)? BaseVolumeOf(string image) =>
        Images.TryGetValue(image, out var location) && location.Split('/') is [{ Length: > 0 } pool, { Length: > 0 } volume] ? (pool, volume) : null;
}

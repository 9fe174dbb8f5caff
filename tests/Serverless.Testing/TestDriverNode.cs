using System.Text;

namespace Serverless.Testing;

/// <summary>
/// A libvirt test-driver host of a test's own (<c>test:///path/node.xml</c>): its domains start in the states given.
/// The state lives in the connection of the process that opens it, so an agent started again reads the file again,
/// as a host that was changed by hand while nobody watched.
/// </summary>
public static class TestDriverNode
{
    /// <summary>The image agents of a host written with <see cref="WriteWithImages"/> offer, and how to say so in their configuration.</summary>
    public const string Image = "ubuntu-24.04";

    public static readonly IReadOnlyDictionary<string, string> ImageSettings = new Dictionary<string, string>
    {
        [$"RelayAgent__Libvirt__Images__{Image}"] = "images/ubuntu.qcow2",
        ["RelayAgent__Libvirt__Network"] = "default",
    };

    /// <summary>Writes <c>node.xml</c> into <paramref name="folder"/> and returns its URI.</summary>
    public static string Write(string folder, params (string Name, bool Running)[] domains) => Write(folder, images: false, domains);

    /// <summary>As <see cref="Write(string, ValueTuple{string, bool}[])"/>, with a storage pool <c>images</c> holding <see cref="Image"/>'s base volume.</summary>
    public static string WriteWithImages(string folder, params (string Name, bool Running)[] domains) => Write(folder, images: true, domains);

    private static string Write(string folder, bool images, (string Name, bool Running)[] domains)
    {
        var xml = new StringBuilder("<node>\n");
        xml.Append("  <cpu><mhz>2400</mhz><model>x86_64</model><active>4</active><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>2</threads></cpu>\n");
        xml.Append("  <memory>8388608</memory>\n");
        foreach (var (name, running) in domains)
        {
            // Run state 1 is running, 5 shut off (libvirt's virDomainState).
            xml.Append(FormattableString.Invariant(
                $"  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'><name>{name}</name><memory>1048576</memory><vcpu>1</vcpu><os><type>hvm</type></os><test:runstate>{(running ? 1 : 5)}</test:runstate></domain>\n"));
        }

        if (images)
        {
            xml.Append("  <pool type='dir'><name>images</name><capacity>107374182400</capacity><allocation>0</allocation><available>107374182400</available>");
            xml.Append($"<source/><target><path>{folder}/images</path></target>");
            xml.Append("<volume type='file'><name>ubuntu.qcow2</name><capacity>1073741824</capacity><allocation>1048576</allocation><target><format type='qcow2'/></target></volume></pool>\n");
        }

        xml.Append("</node>\n");
        var path = Path.Combine(folder, "node.xml");
        File.WriteAllText(path, xml.ToString());
        return $"test://{path}";
    }
}

using System.Text;

namespace Serverless.Testing;

/// <summary>
/// A libvirt test-driver host of a test's own (<c>test:///path/node.xml</c>): its domains start in the states given.
/// The state lives in the connection of the process that opens it, so an agent started again reads the file again,
/// as a host that was changed by hand while nobody watched.
/// </summary>
public static class TestDriverNode
{
    /// <summary>Writes <c>node.xml</c> into <paramref name="folder"/> and returns its URI.</summary>
    public static string Write(string folder, params (string Name, bool Running)[] domains)
    {
        var xml = new StringBuilder("""
            <node>
              <cpu><mhz>2400</mhz><model>x86_64</model><active>4</active><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>2</threads></cpu>
              <memory>8388608</memory>

            """);
        foreach (var (name, running) in domains)
        {
            // Run state 1 is running, 5 shut off (libvirt's virDomainState).
            xml.Append(CultureInvariant($"""
                  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
                    <name>{name}</name><memory>1048576</memory><vcpu>1</vcpu><os><type>hvm</type></os><test:runstate>{(running ? 1 : 5)}</test:runstate>
                  </domain>

                """));
        }

        xml.Append("</node>\n");
        var path = Path.Combine(folder, "node.xml");
        File.WriteAllText(path, xml.ToString());
        return $"test://{path}";
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}

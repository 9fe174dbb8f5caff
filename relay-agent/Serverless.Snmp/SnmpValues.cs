using System.Globalization;
using System.Numerics;
using System.Net;

namespace Serverless.Snmp;

/// <summary>Values written as net-snmp's type letters: i u s x o a t c C (as in <c>snmpset OID TYPE VALUE</c>).</summary>
public static class SnmpValues
{
    public const string TypeLetters = "i u s x o a t c C";

    /// <summary>Parses <paramref name="text"/> as a value of <paramref name="type"/>; a <see cref="FormatException"/> says what is wrong.</summary>
    public static SnmpValue Parse(string type, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return type switch
        {
            "i" => SnmpValue.Integer32(Number<int>(text, "an Integer32")),
            "u" => SnmpValue.Gauge32(Number<uint>(text, "an Unsigned32")),
            "c" => SnmpValue.Counter32(Number<uint>(text, "a Counter32")),
            "C" => SnmpValue.Counter64(Number<ulong>(text, "a Counter64")),
            "t" => SnmpValue.TimeTicks(Number<uint>(text, "TimeTicks")),
            "s" => SnmpValue.OctetString(text),
            "x" => SnmpValue.OctetString(Hex(text)),
            "o" => SnmpValue.ObjectIdentifier(Oid.Parse(text)),
            "a" => IPAddress.TryParse(text, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                ? SnmpValue.IpAddress(address)
                : throw new FormatException($"'{text}' is not an IPv4 address."),
            _ => throw new FormatException($"'{type}' is not a value type; use one of {TypeLetters}."),
        };
    }

    private static T Number<T>(string text, string what)
        where T : INumber<T> =>
        T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"'{text}' is not {what}.");

    private static byte[] Hex(string text)
    {
        var compact = text.Replace(" ", string.Empty, StringComparison.Ordinal).Replace(":", string.Empty, StringComparison.Ordinal);
        try
        {
            return Convert.FromHexString(compact);
        }
        catch (FormatException)
        {
            throw new FormatException($"'{text}' is not hexadecimal bytes.");
        }
    }
}

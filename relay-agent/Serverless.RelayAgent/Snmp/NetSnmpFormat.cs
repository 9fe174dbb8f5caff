using System.Globalization;
using System.Text;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Snmp;

/// <summary>Prints bindings the way net-snmp's tools do with numeric OIDs, so operators can compare outputs directly.</summary>
public static class NetSnmpFormat
{
    public static string Line(VarBind binding) => $".{binding.Oid} = {Value(binding.Value)}";

    public static string Value(SnmpValue value) => value.Type switch
    {
        SnmpType.Integer32 => $"INTEGER: {value.AsInt32().ToString(CultureInfo.InvariantCulture)}",
        SnmpType.OctetString when IsPrintable(value.AsBytes()) => $"STRING: \"{Encoding.UTF8.GetString(value.AsBytes())}\"",
        SnmpType.OctetString => $"Hex-STRING: {Hex(value.AsBytes())}",
        SnmpType.ObjectIdentifier => $"OID: .{value.AsOid()}",
        SnmpType.IpAddress => $"IpAddress: {value.AsIpAddress()}",
        SnmpType.Counter32 => $"Counter32: {value.AsUInt32().ToString(CultureInfo.InvariantCulture)}",
        SnmpType.Gauge32 => $"Gauge32: {value.AsUInt32().ToString(CultureInfo.InvariantCulture)}",
        SnmpType.TimeTicks => $"Timeticks: ({value.AsUInt32().ToString(CultureInfo.InvariantCulture)}) {Ticks(value.AsUInt32())}",
        SnmpType.Opaque => $"OPAQUE: {Hex(value.AsBytes())}",
        SnmpType.Counter64 => $"Counter64: {value.AsUInt64().ToString(CultureInfo.InvariantCulture)}",
        SnmpType.Null => "NULL",
        SnmpType.NoSuchObject => "No Such Object available on this agent at this OID",
        SnmpType.NoSuchInstance => "No Such Instance currently exists at this OID",
        _ => "No more variables left in this MIB View (It is past the end of the MIB tree)",
    };

    /// <summary>1/100 s as net-snmp shows them: <c>1 day, 2:03:04.05</c>.</summary>
    public static string Ticks(uint ticks)
    {
        var days = ticks / 8_640_000;
        var rest = ticks % 8_640_000;
        var time = string.Create(CultureInfo.InvariantCulture, $"{rest / 360_000}:{rest / 6000 % 60:00}:{rest / 100 % 60:00}.{rest % 100:00}");
        return days switch
        {
            0 => time,
            1 => $"1 day, {time}",
            _ => string.Create(CultureInfo.InvariantCulture, $"{days} days, {time}"),
        };
    }

    private static bool IsPrintable(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not (>= 0x20 and < 0x7f or (byte)'\n' or (byte)'\r' or (byte)'\t'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => string.Join(' ', bytes.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
}

using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Serverless.Contracts.Snmp;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Snmp;

/// <summary>Converts bindings to and from their text form in command payloads and outputs.</summary>
public static class SnmpBindingText
{
    public static SnmpBinding From(VarBind binding) => new(binding.Oid.ToString(), TypeName(binding.Value), ValueText(binding.Value));

    public static List<SnmpBinding> From(IEnumerable<VarBind> bindings) => bindings.Select(From).ToList();

    /// <summary>Parses a binding to set; a <see cref="FormatException"/> names what is wrong.</summary>
    public static VarBind Parse(SnmpBinding binding)
    {
        var oid = ParseOid(binding.Oid);
        var letter = binding.Type switch
        {
            "integer" => "i",
            "string" => "s",
            "hex" => "x",
            "oid" => "o",
            "ipAddress" => "a",
            "counter32" => "c",
            "gauge32" => "u",
            "timeTicks" => "t",
            "counter64" => "C",
            "opaque" or "null" => null,
            var type => type,
        };
        return binding.Type switch
        {
            "opaque" => new VarBind(oid, SnmpValue.Opaque(SnmpValues.Parse("x", binding.Value ?? string.Empty).AsBytes())),
            "null" => new VarBind(oid, SnmpValue.Null),
            _ => new VarBind(oid, SnmpValues.Parse(letter ?? string.Empty, binding.Value ?? throw new FormatException("value: required."))),
        };
    }

    public static Oid ParseOid(string? text)
    {
        try
        {
            return Oid.Parse(text ?? throw new FormatException("An OID is required."));
        }
        catch (ArgumentException exception)
        {
            throw new FormatException(exception.Message);
        }
    }

    /// <summary>A numeric value for metrics: integers and counters, and octet strings holding a number (UCD's laLoad).</summary>
    public static bool TryNumber(SnmpValue value, out double number)
    {
        switch (value.Type)
        {
            case SnmpType.Integer32:
                number = value.AsInt32();
                return true;
            case SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks or SnmpType.Counter64:
                number = value.AsUInt64();
                return true;
            case SnmpType.OctetString:
                return double.TryParse(value.AsBytes(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
            default:
                number = 0;
                return false;
        }
    }

    private static string TypeName(SnmpValue value) => value.Type switch
    {
        SnmpType.Integer32 => "integer",
        SnmpType.OctetString => IsText(value.AsBytes()) ? "string" : "hex",
        SnmpType.ObjectIdentifier => "oid",
        SnmpType.IpAddress => "ipAddress",
        SnmpType.Counter32 => "counter32",
        SnmpType.Gauge32 => "gauge32",
        SnmpType.TimeTicks => "timeTicks",
        SnmpType.Opaque => "opaque",
        SnmpType.Counter64 => "counter64",
        SnmpType.Null => "null",
        SnmpType.NoSuchObject => "noSuchObject",
        SnmpType.NoSuchInstance => "noSuchInstance",
        _ => "endOfMibView",
    };

    private static string ValueText(SnmpValue value) => value.Type switch
    {
        SnmpType.Integer32 => value.AsInt32().ToString(CultureInfo.InvariantCulture),
        SnmpType.OctetString when IsText(value.AsBytes()) => Encoding.UTF8.GetString(value.AsBytes()),
        SnmpType.OctetString or SnmpType.Opaque => Convert.ToHexString(value.AsBytes()),
        SnmpType.ObjectIdentifier => value.AsOid().ToString(),
        SnmpType.IpAddress => value.AsIpAddress().ToString(),
        SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks or SnmpType.Counter64 => value.AsUInt64().ToString(CultureInfo.InvariantCulture),
        _ => string.Empty,
    };

    private static bool IsText(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is < 0x20 and not ((byte)'\n' or (byte)'\r' or (byte)'\t') or 0x7f)
            {
                return false;
            }
        }

        return Utf8.IsValid(bytes);
    }
}

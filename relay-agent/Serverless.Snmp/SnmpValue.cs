using System.Globalization;
using System.Net;
using System.Text;

namespace Serverless.Snmp;

/// <summary>
/// One SMIv2 value. Numbers keep their exact width and signedness; the exceptions noSuchObject, noSuchInstance and
/// endOfMibView are values too, so a caller sees them as data.
/// </summary>
public sealed class SnmpValue : IEquatable<SnmpValue>
{
    private readonly ulong _number;
    private readonly byte[]? _bytes;
    private readonly Oid? _oid;

    private SnmpValue(SnmpType type, ulong number = 0, byte[]? bytes = null, Oid? oid = null)
    {
        Type = type;
        _number = number;
        _bytes = bytes;
        _oid = oid;
    }

    public SnmpType Type { get; }

    public static SnmpValue Null { get; } = new(SnmpType.Null);

    public static SnmpValue NoSuchObject { get; } = new(SnmpType.NoSuchObject);

    public static SnmpValue NoSuchInstance { get; } = new(SnmpType.NoSuchInstance);

    public static SnmpValue EndOfMibView { get; } = new(SnmpType.EndOfMibView);

    /// <summary>True for noSuchObject, noSuchInstance and endOfMibView.</summary>
    public bool IsException => Type is SnmpType.NoSuchObject or SnmpType.NoSuchInstance or SnmpType.EndOfMibView;

    public static SnmpValue Integer32(int value) => new(SnmpType.Integer32, unchecked((ulong)value));

    public static SnmpValue OctetString(ReadOnlySpan<byte> value) => new(SnmpType.OctetString, bytes: value.ToArray());

    public static SnmpValue OctetString(string value) => new(SnmpType.OctetString, bytes: Encoding.UTF8.GetBytes(value));

    public static SnmpValue ObjectIdentifier(Oid value) => new(SnmpType.ObjectIdentifier, oid: value ?? throw new ArgumentNullException(nameof(value)));

    public static SnmpValue IpAddress(IPAddress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? new(SnmpType.IpAddress, bytes: value.GetAddressBytes())
            : throw new ArgumentException("SMIv2 IpAddress holds IPv4 addresses only.", nameof(value));
    }

    public static SnmpValue Counter32(uint value) => new(SnmpType.Counter32, value);

    public static SnmpValue Gauge32(uint value) => new(SnmpType.Gauge32, value);

    public static SnmpValue TimeTicks(uint value) => new(SnmpType.TimeTicks, value);

    public static SnmpValue Opaque(ReadOnlySpan<byte> value) => new(SnmpType.Opaque, bytes: value.ToArray());

    public static SnmpValue Counter64(ulong value) => new(SnmpType.Counter64, value);

    internal static SnmpValue FromBytes(SnmpType type, byte[] bytes) => new(type, bytes: bytes);

    internal ulong RawNumber => _number;

    public int AsInt32() => Type == SnmpType.Integer32 ? unchecked((int)_number) : throw WrongType("Integer32");

    public uint AsUInt32() => Type is SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks ? (uint)_number : throw WrongType("Counter32, Gauge32 or TimeTicks");

    public ulong AsUInt64() => Type switch
    {
        SnmpType.Counter64 or SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks => _number,
        SnmpType.Integer32 when unchecked((int)_number) >= 0 => _number,
        _ => throw WrongType("a non-negative number"),
    };

    public ReadOnlySpan<byte> AsBytes() => _bytes ?? throw WrongType("OCTET STRING, Opaque or IpAddress");

    public string AsString() => Type == SnmpType.OctetString ? Encoding.UTF8.GetString(_bytes!) : throw WrongType("OCTET STRING");

    public Oid AsOid() => _oid ?? throw WrongType("OBJECT IDENTIFIER");

    public IPAddress AsIpAddress() => Type == SnmpType.IpAddress ? new IPAddress(_bytes!) : throw WrongType("IpAddress");

    public bool Equals(SnmpValue? other) =>
        other is not null && Type == other.Type && _number == other._number && _oid == other._oid
        && (_bytes is null ? other._bytes is null : other._bytes is not null && _bytes.AsSpan().SequenceEqual(other._bytes));

    public override bool Equals(object? obj) => Equals(obj as SnmpValue);

    public override int GetHashCode() => HashCode.Combine(Type, _number, _oid, _bytes?.Length);

    public override string ToString() => Type switch
    {
        SnmpType.Integer32 => $"INTEGER: {AsInt32().ToString(CultureInfo.InvariantCulture)}",
        SnmpType.OctetString => $"STRING: {(IsPrintable(_bytes!) ? Encoding.UTF8.GetString(_bytes!) : Convert.ToHexString(_bytes!))}",
        SnmpType.ObjectIdentifier => $"OID: {_oid}",
        SnmpType.IpAddress => $"IpAddress: {AsIpAddress()}",
        SnmpType.Opaque => $"Opaque: {Convert.ToHexString(_bytes!)}",
        SnmpType.Null => "NULL",
        SnmpType.NoSuchObject => "noSuchObject",
        SnmpType.NoSuchInstance => "noSuchInstance",
        SnmpType.EndOfMibView => "endOfMibView",
        _ => $"{Type}: {_number.ToString(CultureInfo.InvariantCulture)}",
    };

    private static bool IsPrintable(byte[] bytes) => bytes.All(b => b is >= 0x20 and < 0x7f or (byte)'\n' or (byte)'\r' or (byte)'\t');

    private InvalidOperationException WrongType(string expected) => new($"The value is {Type}, not {expected}.");
}

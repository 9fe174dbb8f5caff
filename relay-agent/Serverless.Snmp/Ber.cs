using System.Buffers.Binary;

namespace Serverless.Snmp;

/// <summary>Writes BER (definite lengths, minimal integers) into a growing buffer; constructed values nest by scope.</summary>
internal sealed class BerWriter
{
    private byte[] _buffer = new byte[512];
    private int _length;
    private readonly Stack<int> _open = new();

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Starts a constructed value; <see cref="Pop"/> writes its length once its content is known.</summary>
    public void Push(byte tag)
    {
        WriteByte(tag);
        _open.Push(_length);
    }

    public void Pop()
    {
        var start = _open.Pop();
        var contentLength = _length - start;
        Span<byte> header = stackalloc byte[5];
        var headerLength = EncodeLength(contentLength, header);
        Ensure(headerLength);
        _buffer.AsSpan(start, contentLength).CopyTo(_buffer.AsSpan(start + headerLength));
        header[..headerLength].CopyTo(_buffer.AsSpan(start));
        _length += headerLength;
    }

    public void WriteInteger(byte tag, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        var skip = 0;
        while (skip < 7 && ((bytes[skip] == 0x00 && (bytes[skip + 1] & 0x80) == 0) || (bytes[skip] == 0xFF && (bytes[skip + 1] & 0x80) != 0)))
        {
            skip++;
        }

        WriteValue(tag, bytes[skip..]);
    }

    public void WriteUnsigned(byte tag, ulong value)
    {
        Span<byte> bytes = stackalloc byte[9];
        BinaryPrimitives.WriteUInt64BigEndian(bytes[1..], value);
        var skip = 0;
        while (skip < 8 && bytes[skip] == 0 && (bytes[skip + 1] & 0x80) == 0)
        {
            skip++;
        }

        WriteValue(tag, bytes[skip..]);
    }

    public void WriteOid(Oid oid)
    {
        var arcs = oid.Arcs;
        Span<byte> content = stackalloc byte[5 * arcs.Length];
        var length = WriteSubidentifier(content, arcs[0] * 40 + arcs[1]);
        for (var i = 2; i < arcs.Length; i++)
        {
            length += WriteSubidentifier(content[length..], arcs[i]);
        }

        WriteValue((byte)SnmpType.ObjectIdentifier, content[..length]);
    }

    public void WriteValue(byte tag, ReadOnlySpan<byte> content)
    {
        Span<byte> header = stackalloc byte[5];
        var headerLength = EncodeLength(content.Length, header);
        WriteByte(tag);
        Ensure(headerLength + content.Length);
        header[..headerLength].CopyTo(_buffer.AsSpan(_length));
        _length += headerLength;
        content.CopyTo(_buffer.AsSpan(_length));
        _length += content.Length;
    }

    public void WriteRaw(ReadOnlySpan<byte> encoded)
    {
        Ensure(encoded.Length);
        encoded.CopyTo(_buffer.AsSpan(_length));
        _length += encoded.Length;
    }

    public void WriteSnmpValue(SnmpValue value)
    {
        switch (value.Type)
        {
            case SnmpType.Integer32:
                WriteInteger((byte)value.Type, value.AsInt32());
                break;
            case SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks or SnmpType.Counter64:
                WriteUnsigned((byte)value.Type, value.RawNumber);
                break;
            case SnmpType.OctetString or SnmpType.Opaque or SnmpType.IpAddress:
                WriteValue((byte)value.Type, value.AsBytes());
                break;
            case SnmpType.ObjectIdentifier:
                WriteOid(value.AsOid());
                break;
            default:
                WriteValue((byte)value.Type, []);
                break;
        }
    }

    private static int WriteSubidentifier(Span<byte> destination, uint value)
    {
        var groups = 1;
        for (var v = value >> 7; v != 0; v >>= 7)
        {
            groups++;
        }

        for (var i = 0; i < groups; i++)
        {
            var shift = 7 * (groups - 1 - i);
            destination[i] = (byte)(((value >> shift) & 0x7F) | (i < groups - 1 ? 0x80u : 0u));
        }

        return groups;
    }

    private static int EncodeLength(int length, Span<byte> destination)
    {
        if (length < 0x80)
        {
            destination[0] = (byte)length;
            return 1;
        }

        var bytes = length <= 0xFF ? 1 : length <= 0xFFFF ? 2 : length <= 0xFFFFFF ? 3 : 4;
        destination[0] = (byte)(0x80 | bytes);
        for (var i = 0; i < bytes; i++)
        {
            destination[1 + i] = (byte)(length >> (8 * (bytes - 1 - i)));
        }

        return bytes + 1;
    }

    private void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}

/// <summary>Reads BER from a buffer, refusing indefinite lengths, oversize integers and values that overrun their container.</summary>
internal ref struct BerReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool AtEnd => _position >= _data.Length;

    public readonly byte PeekTag() => !AtEnd ? _data[_position] : throw new SnmpDecodeException($"expected a value at byte {_position}, found the end");

    /// <summary>Reads a tag and length and returns a reader over the content.</summary>
    public BerReader ReadConstructed(byte expectedTag, string what)
    {
        var content = ReadTagged(expectedTag, what);
        return new BerReader(content);
    }

    public ReadOnlySpan<byte> ReadTagged(byte expectedTag, string what)
    {
        var content = ReadAny(what, out var tag);
        return tag == expectedTag ? content : throw new SnmpDecodeException($"{what}: expected tag 0x{expectedTag:X2}, found 0x{tag:X2}");
    }

    /// <summary>The next value whole, tag and length included.</summary>
    public ReadOnlySpan<byte> ReadEncoded(string what)
    {
        var start = _position;
        ReadAny(what, out _);
        return _data[start.._position];
    }

    public ReadOnlySpan<byte> ReadAny(string what, out byte tag)
    {
        if (_position + 2 > _data.Length)
        {
            throw new SnmpDecodeException($"{what}: truncated at byte {_position}");
        }

        tag = _data[_position++];
        int length = _data[_position++];
        if (length == 0x80)
        {
            throw new SnmpDecodeException($"{what}: indefinite lengths are not allowed in SNMP");
        }

        if (length > 0x80)
        {
            var count = length & 0x7F;
            if (count > 4 || count > _data.Length - _position)
            {
                throw new SnmpDecodeException($"{what}: bad length of {count} bytes at byte {_position}");
            }

            length = 0;
            for (var i = 0; i < count; i++)
            {
                length = (length << 8) | _data[_position++];
            }

            if (length < 0)
            {
                throw new SnmpDecodeException($"{what}: length too large");
            }
        }

        if (length > _data.Length - _position)
        {
            throw new SnmpDecodeException($"{what}: {length} bytes of content overrun the enclosing value");
        }

        var content = _data.Slice(_position, length);
        _position += length;
        return content;
    }

    public long ReadInteger(string what) => DecodeSigned(ReadTagged((byte)SnmpType.Integer32, what), what);

    public static long DecodeSigned(ReadOnlySpan<byte> content, string what)
    {
        if (content.Length is 0 or > 8)
        {
            throw new SnmpDecodeException($"{what}: an INTEGER of {content.Length} bytes");
        }

        long value = (sbyte)content[0];
        for (var i = 1; i < content.Length; i++)
        {
            value = (value << 8) | content[i];
        }

        return value;
    }

    public static int DecodeInt32(ReadOnlySpan<byte> content, string what)
    {
        var value = DecodeSigned(content, what);
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new SnmpDecodeException($"{what}: {value} does not fit Integer32");
    }

    public static ulong DecodeUnsigned(ReadOnlySpan<byte> content, int maxBits, string what)
    {
        if (content.Length == 0 || content.Length > maxBits / 8 + 1 || (content.Length == maxBits / 8 + 1 && content[0] != 0))
        {
            throw new SnmpDecodeException($"{what}: an unsigned value of {content.Length} bytes does not fit {maxBits} bits");
        }

        ulong value = 0;
        foreach (var b in content)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    public static Oid DecodeOid(ReadOnlySpan<byte> content, string what)
    {
        if (content.Length == 0)
        {
            throw new SnmpDecodeException($"{what}: an empty OBJECT IDENTIFIER");
        }

        var arcs = new List<uint>(content.Length + 1);
        ulong current = 0;
        var inArc = false;
        foreach (var b in content)
        {
            current = (current << 7) | (uint)(b & 0x7F);
            inArc = (b & 0x80) != 0;
            if (current > uint.MaxValue)
            {
                throw new SnmpDecodeException($"{what}: an OID arc exceeds 32 bits");
            }

            if (!inArc)
            {
                if (arcs.Count == 0)
                {
                    var first = current < 80 ? (uint)current / 40 : 2;
                    arcs.Add(first);
                    arcs.Add((uint)current - first * 40);
                }
                else
                {
                    arcs.Add((uint)current);
                }

                current = 0;
            }
        }

        if (inArc)
        {
            throw new SnmpDecodeException($"{what}: the OBJECT IDENTIFIER ends inside an arc");
        }

        try
        {
            return new Oid([.. arcs]);
        }
        catch (ArgumentException exception)
        {
            throw new SnmpDecodeException($"{what}: {exception.Message}");
        }
    }

    public SnmpValue ReadSnmpValue(string what)
    {
        var content = ReadAny(what, out var tag);
        return (SnmpType)tag switch
        {
            SnmpType.Integer32 => SnmpValue.Integer32(DecodeInt32(content, what)),
            SnmpType.OctetString => SnmpValue.OctetString(content),
            SnmpType.Null => SnmpValue.Null,
            SnmpType.ObjectIdentifier => SnmpValue.ObjectIdentifier(DecodeOid(content, what)),
            SnmpType.IpAddress when content.Length == 4 => SnmpValue.FromBytes(SnmpType.IpAddress, content.ToArray()),
            SnmpType.Counter32 => SnmpValue.Counter32((uint)DecodeUnsigned(content, 32, what)),
            SnmpType.Gauge32 => SnmpValue.Gauge32((uint)DecodeUnsigned(content, 32, what)),
            SnmpType.TimeTicks => SnmpValue.TimeTicks((uint)DecodeUnsigned(content, 32, what)),
            SnmpType.Opaque => SnmpValue.Opaque(content),
            SnmpType.Counter64 => SnmpValue.Counter64(DecodeUnsigned(content, 64, what)),
            SnmpType.NoSuchObject => SnmpValue.NoSuchObject,
            SnmpType.NoSuchInstance => SnmpValue.NoSuchInstance,
            SnmpType.EndOfMibView => SnmpValue.EndOfMibView,
            _ => throw new SnmpDecodeException($"{what}: unknown value tag 0x{tag:X2} ({content.Length} bytes)"),
        };
    }
}

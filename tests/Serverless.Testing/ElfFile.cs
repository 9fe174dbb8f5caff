using System.Buffers.Binary;
using System.Text;

namespace Serverless.Testing;

/// <summary>The section names of a 64-bit little-endian ELF file: enough to tell a native AOT executable from a bundle.</summary>
public static class ElfFile
{
    public static IReadOnlyList<string> SectionNames(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || !bytes.AsSpan(0, 4).SequenceEqual("\u007fELF"u8) || bytes[4] != 2 || bytes[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
        }

        var sectionTable = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0x28)));
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(0x3A));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(0x3C));
        var namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(0x3E));
        var names = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(sectionTable + namesIndex * entrySize + 0x18)));
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var nameOffset = names + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(sectionTable + i * entrySize));
            return Encoding.ASCII.GetString(bytes, nameOffset, bytes.AsSpan(nameOffset).IndexOf((byte)0));
        })];
    }
}

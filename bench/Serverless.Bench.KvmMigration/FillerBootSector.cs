using System.Buffers.Binary;

namespace Serverless.Bench.KvmMigration;

/// <summary>
/// A 512-byte boot sector that gives a guest a memory image of a chosen size: a guest booted from firmware alone
/// touches almost no memory, and a save writes only the pages a guest touched (zero pages go as a flag). SeaBIOS loads
/// it at 0x7c00; it enables A20, enters flat 32-bit protected mode, fills [1 MiB, 1 MiB + N MiB) a 4 KiB page at a
/// time with a value that differs from page to page (none zero), then halts with interrupts off, EDI at the fill's end.
/// </summary>
internal static class FillerBootSector
{
    /// <summary>Where the sector holds the number of pages to fill (a little-endian dword).</summary>
    private const int PagesOffset = 0x1f0;

    private static readonly byte[] Code =
    [
        // 16-bit real mode at 0000:7c00.
        0xFA,                               // cli
        0x31, 0xC0,                         // xor ax, ax
        0x8E, 0xD8,                         // mov ds, ax
        0xE4, 0x92,                         // in al, 0x92        (fast A20)
        0x0C, 0x02,                         // or al, 2
        0x24, 0xFE,                         // and al, 0xfe       (no reset)
        0xE6, 0x92,                         // out 0x92, al
        0x0F, 0x01, 0x16, 0x70, 0x7C,       // lgdt [0x7c70]
        0x0F, 0x20, 0xC0,                   // mov eax, cr0
        0x0C, 0x01,                         // or al, 1           (PE)
        0x0F, 0x22, 0xC0,                   // mov cr0, eax
        0xEA, 0x1F, 0x7C, 0x08, 0x00,       // jmp 0x08:0x7c1f
        // 32-bit protected mode at 0x7c1f.
        0x66, 0xB8, 0x10, 0x00,             // mov ax, 0x10
        0x8E, 0xD8,                         // mov ds, ax
        0x8E, 0xC0,                         // mov es, ax
        0x8E, 0xD0,                         // mov ss, ax
        0xBC, 0x00, 0x7C, 0x00, 0x00,       // mov esp, 0x7c00
        0xFC,                               // cld
        0xBF, 0x00, 0x00, 0x10, 0x00,       // mov edi, 0x100000
        0x8B, 0x1D, 0xF0, 0x7D, 0x00, 0x00, // mov ebx, [0x7df0]  (pages)
        0xB8, 0x78, 0x56, 0x34, 0x12,       // mov eax, 0x12345678
        // page (0x7c3f):
        0xB9, 0x00, 0x04, 0x00, 0x00,       // mov ecx, 1024
        0xF3, 0xAB,                         // rep stosd
        0x05, 0xB9, 0x79, 0x37, 0x9E,       // add eax, 0x9e3779b9 (odd: no value repeats within 2^32 pages)
        0x4B,                               // dec ebx
        0x75, 0xF1,                         // jnz page
        // done (0x7c4e):
        0xF4,                               // hlt
        0xEB, 0xFD,                         // jmp done
    ];

    // Flat 4 GiB code (0x08) and data (0x10) segments after the null descriptor, at 0x7c58; its pointer at 0x7c70.
    private static readonly byte[] Gdt =
    [
        0, 0, 0, 0, 0, 0, 0, 0,
        0xFF, 0xFF, 0x00, 0x00, 0x00, 0x9A, 0xCF, 0x00,
        0xFF, 0xFF, 0x00, 0x00, 0x00, 0x92, 0xCF, 0x00,
        0x17, 0x00, 0x58, 0x7C, 0x00, 0x00,
    ];

    /// <summary>The sector for a fill of <paramref name="mib"/> MiB.</summary>
    public static byte[] For(int mib)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mib, 1);
        var sector = new byte[512];
        Code.CopyTo(sector, 0);
        Gdt.CopyTo(sector, 0x58);
        BinaryPrimitives.WriteInt32LittleEndian(sector.AsSpan(PagesOffset), mib * 256);
        sector[510] = 0x55;
        sector[511] = 0xAA;
        return sector;
    }

    /// <summary>EDI once the fill is done, as QEMU's <c>info registers</c> prints it.</summary>
    public static string FilledEdi(int mib) => $"EDI={0x100000 + ((long)mib << 20):x8}";
}

using System.Runtime.InteropServices;

namespace Serverless.Libvirt;

/// <summary>
/// The C API of libvirt (libvirt.so.0). Pointers are raw: <see cref="LibvirtConnection"/> and <see cref="DomainHandle"/>
/// own them. Errors are thread-local in libvirt, so a failing call's error is read on the same thread right after it.
/// </summary>
internal static unsafe partial class LibvirtNative
{
    private const string Library = "libvirt.so.0";

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint virConnectOpen(string? name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint virConnectOpenReadOnly(string? name);

    [LibraryImport(Library)]
    public static partial int virConnectClose(nint connection);

    [LibraryImport(Library)]
    public static partial int virConnectIsAlive(nint connection);

    [LibraryImport(Library)]
    public static partial nint virConnectGetType(nint connection);

    [LibraryImport(Library)]
    public static partial int virConnectGetVersion(nint connection, out ulong version);

    [LibraryImport(Library)]
    public static partial int virConnectGetLibVersion(nint connection, out ulong version);

    [LibraryImport(Library)]
    public static partial nint virConnectGetCapabilities(nint connection);

    [LibraryImport(Library)]
    public static partial nint virConnectGetHostname(nint connection);

    [LibraryImport(Library)]
    public static partial int virNodeGetInfo(nint connection, out NodeInfoStruct info);

    [LibraryImport(Library)]
    public static partial int virConnectListAllDomains(nint connection, out nint domains, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint virDomainLookupByName(nint connection, string name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint virDomainDefineXML(nint connection, string xml);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virDomainRestore(nint connection, string path);

    /// <summary>flags 2 = VIR_DOMAIN_SAVE_RUNNING, 4 = VIR_DOMAIN_SAVE_PAUSED.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virDomainRestoreFlags(nint connection, string path, string? xml, uint flags);

    /// <summary>flags 1 = VIR_DOMAIN_SAVE_IMAGE_XML_SECURE.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint virDomainSaveImageGetXMLDesc(nint connection, string path, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virDomainSaveImageDefineXML(nint connection, string path, string xml, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint virStorageVolCreateXML(nint pool, string xml, uint flags);

    /// <summary>-1 error, 0 incompatible, 1 identical, 2 superset.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virConnectCompareHypervisorCPU(nint connection, string? emulator, string? arch, string? machine, string? virtType, string xml, uint flags);

    [LibraryImport(Library)]
    public static partial int virStoragePoolGetInfo(nint pool, out StoragePoolInfoStruct info);

    [LibraryImport(Library)]
    public static partial int virDomainCreate(nint domain);

    [LibraryImport(Library)]
    public static partial int virDomainShutdown(nint domain);

    [LibraryImport(Library)]
    public static partial int virDomainDestroy(nint domain);

    [LibraryImport(Library)]
    public static partial int virDomainSuspend(nint domain);

    [LibraryImport(Library)]
    public static partial int virDomainResume(nint domain);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virDomainSave(nint domain, string path);

    [LibraryImport(Library)]
    public static partial int virDomainUndefine(nint domain);

    [LibraryImport(Library)]
    public static partial int virDomainReboot(nint domain, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint virStoragePoolLookupByName(nint connection, string name);

    [LibraryImport(Library)]
    public static partial int virStoragePoolRefresh(nint pool, uint flags);

    [LibraryImport(Library)]
    public static partial int virStoragePoolFree(nint pool);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint virStorageVolLookupByName(nint pool, string name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint virStorageVolCreateXMLFrom(nint pool, string xml, nint sourceVolume, uint flags);

    [LibraryImport(Library)]
    public static partial nint virStorageVolGetXMLDesc(nint volume, uint flags);

    /// <summary>type 2 = VIR_DOMAIN_METADATA_ELEMENT; flags 1 = AFFECT_LIVE, 2 = AFFECT_CONFIG.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virDomainSetMetadata(nint domain, int type, string? metadata, string? key, string? uri, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint virStorageVolLookupByPath(nint connection, string path);

    [LibraryImport(Library)]
    public static partial nint virStoragePoolLookupByVolume(nint volume);

    /// <summary>The pool's name, owned by the pool object (not to be freed).</summary>
    [LibraryImport(Library)]
    public static partial nint virStoragePoolGetName(nint pool);

    [LibraryImport(Library)]
    public static partial nint virStorageVolGetPath(nint volume);

    [LibraryImport(Library)]
    public static partial int virStorageVolGetInfo(nint volume, out StorageVolInfoStruct info);

    [LibraryImport(Library)]
    public static partial int virStorageVolDelete(nint volume, uint flags);

    [LibraryImport(Library)]
    public static partial int virStorageVolFree(nint volume);

    [LibraryImport(Library)]
    public static partial int virDomainGetInfo(nint domain, out DomainInfoStruct info);

    [LibraryImport(Library)]
    public static partial nint virDomainGetName(nint domain);

    [LibraryImport(Library)]
    public static partial int virDomainGetUUIDString(nint domain, byte* buffer);

    [LibraryImport(Library)]
    public static partial int virDomainIsPersistent(nint domain);

    [LibraryImport(Library)]
    public static partial nint virDomainGetXMLDesc(nint domain, uint flags);

    [LibraryImport(Library)]
    public static partial int virDomainInterfaceAddresses(nint domain, out InterfaceStruct** interfaces, uint source, uint flags);

    [LibraryImport(Library)]
    public static partial void virDomainInterfaceFree(InterfaceStruct* iface);

    [LibraryImport(Library)]
    public static partial int virDomainFree(nint domain);

    [LibraryImport(Library)]
    public static partial ErrorStruct* virGetLastError();

    [LibraryImport(Library)]
    public static partial void virResetLastError();

    [LibraryImport(Library)]
    public static partial void virSetErrorFunc(nint userData, delegate* unmanaged<nint, ErrorStruct*, void> handler);

    [LibraryImport("libc")]
    public static partial void free(nint pointer);

    /// <summary>virDomainInterface: one of a domain's NICs and the addresses a source reports for it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct InterfaceStruct
    {
        public nint Name;
        public nint HardwareAddress;
        public uint AddressCount;
        public IpAddressStruct* Addresses;
    }

    /// <summary>virDomainIPAddress: type 0 is IPv4, 1 IPv6.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IpAddressStruct
    {
        public int Type;
        public nint Address;
        public uint Prefix;
    }

    /// <summary>virNodeInfo: memory in KiB.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct NodeInfoStruct
    {
        public fixed byte Model[32];
        public nuint Memory;
        public uint Cpus;
        public uint Mhz;
        public uint Nodes;
        public uint Sockets;
        public uint Cores;
        public uint Threads;
    }

    /// <summary>virDomainInfo: memory in KiB, CPU time in nanoseconds.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct DomainInfoStruct
    {
        public byte State;
        public nuint MaxMemory;
        public nuint Memory;
        public ushort VirtualCpus;
        public ulong CpuTime;
    }

    /// <summary>virStorageVolInfo: sizes in bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StoragePoolInfoStruct
    {
        public int State;
        public ulong Capacity;
        public ulong Allocation;
        public ulong Available;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct StorageVolInfoStruct
    {
        public int Type;
        public ulong Capacity;
        public ulong Allocation;
    }

    /// <summary>The leading fields of virError, which is all this binding reads.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ErrorStruct
    {
        public int Code;
        public int Domain;
        public nint Message;
        public int Level;
    }
}

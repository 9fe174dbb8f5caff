using System.Runtime.InteropServices;

namespace Serverless.Libvirt;

/// <summary>
/// A connection to one hypervisor through libvirt (any URI the operator configures: <c>qemu:///system</c>,
/// <c>esx://…</c>, <c>test:///default</c>, …) with what registration needs to know about the host and the domain
/// lifecycle. Domains are addressed by name. Every failure is a <see cref="LibvirtException"/> subtype carrying
/// libvirt's error number and message. Thread-safe as libvirt connections are; dispose to close.
/// </summary>
public sealed unsafe class LibvirtConnection : IDisposable
{
    private readonly ConnectionHandle _handle;

    static LibvirtConnection()
    {
        // libvirt prints every error to stderr unless a handler is set; errors reach callers as exceptions instead.
        LibvirtNative.virSetErrorFunc(0, &IgnoreError);
    }

    private LibvirtConnection(ConnectionHandle handle, string uri, bool readOnly)
    {
        _handle = handle;
        Uri = uri;
        ReadOnly = readOnly;
    }

    public string Uri { get; }

    public bool ReadOnly { get; }

    /// <summary>Whether the connection still works (remote connections can drop).</summary>
    public bool IsAlive => !_handle.IsClosed && LibvirtNative.virConnectIsAlive(Pointer) == 1;

    private nint Pointer => _handle.DangerousGetHandle();

    /// <summary>Opens <paramref name="uri"/>; throws <see cref="LibvirtConnectionException"/> or <see cref="LibvirtAccessException"/> on failure.</summary>
    public static LibvirtConnection Open(string uri, bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        using var span = LibvirtTracing.Start(readOnly ? "virConnectOpenReadOnly" : "virConnectOpen", uri, null);
        var pointer = readOnly ? LibvirtNative.virConnectOpenReadOnly(uri) : LibvirtNative.virConnectOpen(uri);
        if (pointer == 0)
        {
            throw LastError(readOnly ? "virConnectOpenReadOnly" : "virConnectOpen", $"'{uri}'");
        }

        return new LibvirtConnection(new ConnectionHandle(pointer), uri, readOnly);
    }

    public HypervisorInfo GetHypervisor()
    {
        using var span = LibvirtTracing.Start("virConnectGetType", Uri, null);
        var type = Marshal.PtrToStringUTF8(Check(LibvirtNative.virConnectGetType(Pointer), "virConnectGetType"))!;
        Check(LibvirtNative.virConnectGetVersion(Pointer, out var version), "virConnectGetVersion");
        Check(LibvirtNative.virConnectGetLibVersion(Pointer, out var library), "virConnectGetLibVersion");
        var hostName = TakeString(LibvirtNative.virConnectGetHostname(Pointer), "virConnectGetHostname");
        var (saveRestore, suspendResume) = DriverFeatures.For(type);
        return new HypervisorInfo(type, Decode(version), Decode(library), hostName, saveRestore, suspendResume);
    }

    public NodeInfo GetNodeInfo()
    {
        Check(LibvirtNative.virNodeGetInfo(Pointer, out var info), "virNodeGetInfo");
        var model = new ReadOnlySpan<byte>(info.Model, 32);
        var end = model.IndexOf((byte)0);
        return new NodeInfo(
            System.Text.Encoding.UTF8.GetString(end < 0 ? model : model[..end]),
            info.Memory, (int)info.Cpus, (int)info.Mhz, (int)info.Nodes, (int)info.Sockets, (int)info.Cores, (int)info.Threads);
    }

    public string GetCapabilitiesXml()
    {
        using var span = LibvirtTracing.Start("virConnectGetCapabilities", Uri, null);
        return TakeString(LibvirtNative.virConnectGetCapabilities(Pointer), "virConnectGetCapabilities");
    }

    public HostCapabilities GetCapabilities() => HostCapabilities.Parse(GetCapabilitiesXml());

    /// <summary>Every domain on the host, running or defined.</summary>
    public IReadOnlyList<DomainInfo> ListDomains()
    {
        using var span = LibvirtTracing.Start("virConnectListAllDomains", Uri, null);
        var count = Check(LibvirtNative.virConnectListAllDomains(Pointer, out var array, 0), "virConnectListAllDomains");
        var domains = new List<DomainInfo>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                using var domain = new DomainHandle(((nint*)array)[i]);
                domains.Add(Describe(domain));
            }
        }
        finally
        {
            LibvirtNative.free(array);
        }

        return domains;
    }

    /// <summary>Defines (or redefines) a persistent domain from its XML, without starting it.</summary>
    public DomainInfo DefineDomain(string xml)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(xml);
        using var span = LibvirtTracing.Start("virDomainDefineXML", Uri, null);
        using var domain = new DomainHandle(Check(LibvirtNative.virDomainDefineXML(Pointer, xml), "virDomainDefineXML"));
        return Describe(domain);
    }

    public DomainInfo GetDomain(string name)
    {
        using var domain = Lookup(name);
        return Describe(domain);
    }

    /// <summary>
    /// The domain's IP addresses as <paramref name="source"/> knows them: the host's DHCP leases (a NIC on a libvirt
    /// network), the guest agent, or the host's ARP table. Empty when the source knows none.
    /// </summary>
    public unsafe IReadOnlyList<DomainAddress> GetDomainAddresses(string name, DomainAddressSource source)
    {
        using var domain = Lookup(name);
        using var span = LibvirtTracing.Start("virDomainInterfaceAddresses", Uri, name);
        var count = Check(LibvirtNative.virDomainInterfaceAddresses(domain.DangerousGetHandle(), out var interfaces, (uint)source, 0), "virDomainInterfaceAddresses");

        var addresses = new List<DomainAddress>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var nic = interfaces[i];
                for (var a = 0; a < nic->AddressCount; a++)
                {
                    var address = nic->Addresses[a];
                    addresses.Add(new DomainAddress(
                        Marshal.PtrToStringUTF8(nic->Name) ?? string.Empty, Marshal.PtrToStringUTF8(nic->HardwareAddress),
                        System.Net.IPAddress.Parse(Marshal.PtrToStringUTF8(address.Address)!), (int)address.Prefix));
                }
            }
        }
        finally
        {
            for (var i = 0; i < count; i++)
            {
                LibvirtNative.virDomainInterfaceFree(interfaces[i]);
            }

            LibvirtNative.free((nint)interfaces);
        }

        return addresses;
    }

    public string GetDomainXml(string name)
    {
        using var domain = Lookup(name);
        return TakeString(LibvirtNative.virDomainGetXMLDesc(domain.DangerousGetHandle(), 0), "virDomainGetXMLDesc");
    }

    /// <summary>
    /// Sets the domain's metadata element of namespace <paramref name="namespaceUri"/> (prefix <paramref name="prefix"/>)
    /// to <paramref name="element"/>, in its running definition when it runs and in its persistent one when it has one.
    /// </summary>
    public void SetDomainMetadata(string name, string prefix, string namespaceUri, string element)
    {
        using var domain = Lookup(name);
        var info = Describe(domain);
        var flags = (info.State is DomainState.ShutOff or DomainState.NoState ? 0u : 1u) | (info.Persistent ? 2u : 0u);
        if (LibvirtNative.virDomainSetMetadata(domain.DangerousGetHandle(), 2, element, prefix, namespaceUri, flags) < 0)
        {
            throw LastError("virDomainSetMetadata", $"domain '{name}'");
        }
    }

    public void StartDomain(string name) => OnDomain(name, LibvirtNative.virDomainCreate, "virDomainCreate");

    /// <summary>Asks the guest to shut down (ACPI); it may take a while or be ignored, see <see cref="DestroyDomain"/>.</summary>
    public void ShutdownDomain(string name) => OnDomain(name, LibvirtNative.virDomainShutdown, "virDomainShutdown");

    /// <summary>Stops the domain at once, like pulling the power cord.</summary>
    public void DestroyDomain(string name) => OnDomain(name, LibvirtNative.virDomainDestroy, "virDomainDestroy");

    public void SuspendDomain(string name) => OnDomain(name, LibvirtNative.virDomainSuspend, "virDomainSuspend");

    public void ResumeDomain(string name) => OnDomain(name, LibvirtNative.virDomainResume, "virDomainResume");

    /// <summary>Saves the running domain's memory to <paramref name="path"/> and stops it.</summary>
    public void SaveDomain(string name, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var span = LibvirtTracing.Start("virDomainSave", Uri, name);
        using var domain = Lookup(name);
        if (LibvirtNative.virDomainSave(domain.DangerousGetHandle(), path) < 0)
        {
            throw LastError("virDomainSave", $"domain '{name}' to '{path}'");
        }
    }

    /// <summary>Brings a domain saved with <see cref="SaveDomain"/> back, running, on this host.</summary>
    public void RestoreDomain(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var span = LibvirtTracing.Start("virDomainRestore", Uri, path);
        if (LibvirtNative.virDomainRestore(Pointer, path) < 0)
        {
            throw LastError("virDomainRestore", $"'{path}'");
        }
    }

    /// <summary>
    /// Restores a saved domain left paused (<c>VIR_DOMAIN_SAVE_PAUSED</c>). A driver that cannot restore paused (the test
    /// driver) restores it and pauses it at once: the caller still finds it paused, never running on.
    /// </summary>
    public void RestoreDomainPaused(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var span = LibvirtTracing.Start("virDomainRestoreFlags", Uri, path);
        if (LibvirtNative.virDomainRestoreFlags(Pointer, path, null, 4) >= 0)
        {
            return;
        }

        var error = LastError("virDomainRestoreFlags", $"'{path}'");
        if (error.Code != LibvirtErrorCode.InvalidArgument)
        {
            throw error;
        }

        RestoreDomain(path);
        SuspendDomain(DomainNameOfSaveImage(path));
    }

    /// <summary>The domain definition kept in a save image, with its secure parts.</summary>
    public string GetSaveImageXml(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return TakeString(LibvirtNative.virDomainSaveImageGetXMLDesc(Pointer, path, 1), "virDomainSaveImageGetXMLDesc");
    }

    /// <summary>
    /// Replaces the definition kept in a save image (a disk's new path, say). The hypervisor refuses what would change the
    /// guest's ABI: QEMU refuses a new name or UUID.
    /// </summary>
    public void DefineSaveImageXml(string path, string xml)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(xml);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (LibvirtNative.virDomainSaveImageDefineXML(Pointer, path, xml, 0) < 0)
        {
            throw LastError("virDomainSaveImageDefineXML", $"'{path}'");
        }
    }

    private string DomainNameOfSaveImage(string path) =>
        System.Xml.Linq.XElement.Parse(GetSaveImageXml(path)).Element("name")?.Value
            ?? throw new LibvirtException("virDomainSaveImageGetXMLDesc", LibvirtErrorCode.XmlError, $"the save image '{path}' names no domain");

    /// <summary>The domain's XML; <paramref name="inactive"/> gives its persistent definition instead of the running one.</summary>
    public string GetDomainXml(string name, bool inactive)
    {
        using var domain = Lookup(name);
        return TakeString(LibvirtNative.virDomainGetXMLDesc(domain.DangerousGetHandle(), inactive ? 2u : 0u), "virDomainGetXMLDesc");
    }

    /// <summary>Removes a domain's definition; a running domain keeps running as a transient one until it stops.</summary>
    public void UndefineDomain(string name) => OnDomain(name, LibvirtNative.virDomainUndefine, "virDomainUndefine");

    /// <summary>Restarts the guest (ACPI reboot); the domain stays running.</summary>
    public void RebootDomain(string name) => OnDomain(name, d => LibvirtNative.virDomainReboot(d, 0), "virDomainReboot");

    /// <summary>The volume, or null when the pool holds none of that name; a missing pool is a <see cref="StorageNotFoundException"/>.</summary>
    public StorageVolumeInfo? FindVolume(string pool, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var poolHandle = LookupPool(pool);
        var pointer = LibvirtNative.virStorageVolLookupByName(poolHandle.DangerousGetHandle(), name);
        if (pointer == 0)
        {
            var error = LastError("virStorageVolLookupByName", $"volume '{name}' in pool '{pool}'");
            return error is StorageNotFoundException ? null : throw error;
        }

        using var volume = new StorageVolumeHandle(pointer);
        return DescribeVolume(pool, volume);
    }

    /// <summary>The volume of a storage pool whose file is <paramref name="path"/> (a domain's disk, say); null when no pool has it.</summary>
    public StorageVolumeInfo? FindVolumeByPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var pointer = LibvirtNative.virStorageVolLookupByPath(Pointer, path);
        if (pointer == 0)
        {
            var error = LastError("virStorageVolLookupByPath", $"volume '{path}'");
            return error is StorageNotFoundException ? null : throw error;
        }

        using var volume = new StorageVolumeHandle(pointer);
        var poolPointer = LibvirtNative.virStoragePoolLookupByVolume(volume.DangerousGetHandle());
        if (poolPointer == 0)
        {
            throw LastError("virStoragePoolLookupByVolume", $"volume '{path}'");
        }

        using var pool = new StoragePoolHandle(poolPointer);
        var poolName = Marshal.PtrToStringUTF8(Check(LibvirtNative.virStoragePoolGetName(pool.DangerousGetHandle()), "virStoragePoolGetName"))!;
        return DescribeVolume(poolName, volume);
    }

    /// <summary>
    /// Clones <paramref name="source"/> into a new volume <paramref name="name"/> of the same pool, same format and
    /// capacity (libvirt copies the data). A volume of that name already there is returned as it is: a clone is made once.
    /// </summary>
    public StorageVolumeInfo CloneVolume(string pool, string source, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var span = LibvirtTracing.Start("virStorageVolCreateXMLFrom", Uri, $"{pool}/{name}");
        using var poolHandle = LookupPool(pool);
        var existing = LibvirtNative.virStorageVolLookupByName(poolHandle.DangerousGetHandle(), name);
        if (existing != 0)
        {
            using var found = new StorageVolumeHandle(existing);
            return DescribeVolume(pool, found);
        }

        LibvirtNative.virResetLastError();
        var sourcePointer = LibvirtNative.virStorageVolLookupByName(poolHandle.DangerousGetHandle(), source);
        if (sourcePointer == 0)
        {
            throw LastError("virStorageVolLookupByName", $"volume '{source}' in pool '{pool}'");
        }

        using var sourceVolume = new StorageVolumeHandle(sourcePointer);
        var sourceXml = TakeString(LibvirtNative.virStorageVolGetXMLDesc(sourceVolume.DangerousGetHandle(), 0), "virStorageVolGetXMLDesc");
        var clonePointer = LibvirtNative.virStorageVolCreateXMLFrom(poolHandle.DangerousGetHandle(), CloneXml(sourceXml, name), sourceVolume.DangerousGetHandle(), 0);
        if (clonePointer == 0)
        {
            throw LastError("virStorageVolCreateXMLFrom", $"volume '{name}' from '{source}' in pool '{pool}'");
        }

        using var clone = new StorageVolumeHandle(clonePointer);
        return DescribeVolume(pool, clone);
    }

    /// <summary>
    /// Makes an empty volume of <paramref name="format"/> and capacity in the pool; one of that name already there is
    /// returned as it is.
    /// </summary>
    public StorageVolumeInfo CreateVolume(string pool, string name, string format, ulong capacityBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(format);
        using var span = LibvirtTracing.Start("virStorageVolCreateXML", Uri, $"{pool}/{name}");
        if (FindVolume(pool, name) is { } existing)
        {
            return existing;
        }

        using var poolHandle = LookupPool(pool);
        var xml = new System.Xml.Linq.XElement("volume",
            new System.Xml.Linq.XElement("name", name),
            new System.Xml.Linq.XElement("capacity", new System.Xml.Linq.XAttribute("unit", "bytes"), capacityBytes),
            new System.Xml.Linq.XElement("target", new System.Xml.Linq.XElement("format", new System.Xml.Linq.XAttribute("type", format))));
        var pointer = LibvirtNative.virStorageVolCreateXML(poolHandle.DangerousGetHandle(), xml.ToString(System.Xml.Linq.SaveOptions.DisableFormatting), 0);
        if (pointer == 0)
        {
            throw LastError("virStorageVolCreateXML", $"volume '{name}' in pool '{pool}'");
        }

        using var volume = new StorageVolumeHandle(pointer);
        return DescribeVolume(pool, volume);
    }

    /// <summary>
    /// Whether the hypervisor can give a guest of <paramref name="architecture"/>, <paramref name="machine"/> and
    /// <paramref name="domainType"/> the CPU <paramref name="cpuXml"/> describes (a running domain's <c>&lt;cpu&gt;</c>
    /// with its feature policies); null when the driver cannot tell (the test driver).
    /// </summary>
    public bool? HypervisorCanProvideCpu(string architecture, string? machine, string domainType, string cpuXml)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cpuXml);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        using var span = LibvirtTracing.Start("virConnectCompareHypervisorCPU", Uri, null);
        var result = LibvirtNative.virConnectCompareHypervisorCPU(Pointer, null, architecture, machine, domainType, cpuXml, 0);
        if (result >= 0)
        {
            return result != 0;
        }

        var error = LastError("virConnectCompareHypervisorCPU", null);
        return error is LibvirtUnsupportedException ? null : throw error;
    }

    /// <summary>Bytes the pool has free.</summary>
    public ulong GetPoolAvailableBytes(string pool)
    {
        using var poolHandle = LookupPool(pool);
        Check(LibvirtNative.virStoragePoolGetInfo(poolHandle.DangerousGetHandle(), out var info), "virStoragePoolGetInfo");
        return info.Available;
    }

    /// <summary>Deletes the volume; false when there was none of that name.</summary>
    public bool DeleteVolume(string pool, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var span = LibvirtTracing.Start("virStorageVolDelete", Uri, $"{pool}/{name}");
        using var poolHandle = LookupPool(pool);
        var pointer = LibvirtNative.virStorageVolLookupByName(poolHandle.DangerousGetHandle(), name);
        if (pointer == 0)
        {
            var error = LastError("virStorageVolLookupByName", $"volume '{name}' in pool '{pool}'");
            return error is StorageNotFoundException ? false : throw error;
        }

        using var volume = new StorageVolumeHandle(pointer);
        if (LibvirtNative.virStorageVolDelete(volume.DangerousGetHandle(), 0) < 0)
        {
            throw LastError("virStorageVolDelete", $"volume '{name}' in pool '{pool}'");
        }

        return true;
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>The source volume's XML with the clone's name, without what identifies the source (key, path).</summary>
    private static string CloneXml(string sourceXml, string name)
    {
        var volume = System.Xml.Linq.XElement.Parse(sourceXml);
        volume.Element("name")!.Value = name;
        volume.Element("key")?.Remove();
        volume.Element("target")?.Element("path")?.Remove();
        return volume.ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
    }

    private StoragePoolHandle LookupPool(string pool)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pool);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var pointer = LibvirtNative.virStoragePoolLookupByName(Pointer, pool);
        return pointer != 0 ? new StoragePoolHandle(pointer) : throw LastError("virStoragePoolLookupByName", $"storage pool '{pool}'");
    }

    private static StorageVolumeInfo DescribeVolume(string pool, StorageVolumeHandle volume)
    {
        var pointer = volume.DangerousGetHandle();
        Check(LibvirtNative.virStorageVolGetInfo(pointer, out var info), "virStorageVolGetInfo");
        var xml = System.Xml.Linq.XElement.Parse(TakeString(LibvirtNative.virStorageVolGetXMLDesc(pointer, 0), "virStorageVolGetXMLDesc"));
        var path = TakeString(LibvirtNative.virStorageVolGetPath(pointer), "virStorageVolGetPath");
        var format = xml.Element("target")?.Element("format")?.Attribute("type")?.Value ?? "raw";
        return new StorageVolumeInfo(pool, xml.Element("name")?.Value ?? string.Empty, path, format, info.Capacity, info.Allocation);
    }

    private void OnDomain(string name, Func<nint, int> call, string operation)
    {
        using var span = LibvirtTracing.Start(operation, Uri, name);
        using var domain = Lookup(name);
        if (call(domain.DangerousGetHandle()) < 0)
        {
            throw LastError(operation, $"domain '{name}'");
        }
    }

    private DomainHandle Lookup(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var pointer = LibvirtNative.virDomainLookupByName(Pointer, name);
        return pointer != 0 ? new DomainHandle(pointer) : throw LastError("virDomainLookupByName", $"domain '{name}'");
    }

    private static DomainInfo Describe(DomainHandle domain)
    {
        var pointer = domain.DangerousGetHandle();
        Check(LibvirtNative.virDomainGetInfo(pointer, out var info), "virDomainGetInfo");
        var name = Marshal.PtrToStringUTF8(Check(LibvirtNative.virDomainGetName(pointer), "virDomainGetName"))!;
        var uuid = stackalloc byte[37];
        Check(LibvirtNative.virDomainGetUUIDString(pointer, uuid), "virDomainGetUUIDString");
        var persistent = Check(LibvirtNative.virDomainIsPersistent(pointer), "virDomainIsPersistent") == 1;
        return new DomainInfo(name, Guid.Parse(new ReadOnlySpan<byte>(uuid, 36)), (DomainState)info.State, info.MaxMemory, info.Memory, info.VirtualCpus,
            TimeSpan.FromTicks((long)(info.CpuTime / 100)), persistent);
    }

    private static Version Decode(ulong version) => new((int)(version / 1_000_000), (int)(version / 1000 % 1000), (int)(version % 1000));

    private static string TakeString(nint pointer, string operation)
    {
        Check(pointer, operation);
        try
        {
            return Marshal.PtrToStringUTF8(pointer)!;
        }
        finally
        {
            LibvirtNative.free(pointer);
        }
    }

    private static int Check(int result, string operation) => result >= 0 ? result : throw LastError(operation, null);

    private static nint Check(nint result, string operation) => result != 0 ? result : throw LastError(operation, null);

    /// <summary>libvirt's thread-local last error, read right after the failing call on the same thread.</summary>
    private static LibvirtException LastError(string operation, string? subject)
    {
        var error = LibvirtNative.virGetLastError();
        var code = error is null ? LibvirtErrorCode.InternalError : (LibvirtErrorCode)error->Code;
        var message = (error is null ? null : Marshal.PtrToStringUTF8(error->Message)) ?? "failed without an error from libvirt";
        LibvirtNative.virResetLastError();
        var exception = LibvirtException.From(operation, code, subject is null ? message : $"{subject}: {message}");
        LibvirtTracing.Failed(exception);
        return exception;
    }

    [UnmanagedCallersOnly]
    private static void IgnoreError(nint userData, LibvirtNative.ErrorStruct* error)
    {
    }
}

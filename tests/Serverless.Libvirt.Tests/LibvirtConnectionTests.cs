using Serverless.Testing;

namespace Serverless.Libvirt.Tests;

/// <summary>The binding against libvirt's test driver, which runs inside this process and needs no daemon.</summary>
public sealed class LibvirtConnectionTests : IDisposable
{
    private readonly string _folder = RepositoryPaths.NewScratchFolder("libvirt");

    public void Dispose() => RepositoryPaths.DeleteScratchFolder(_folder);

    [Fact]
    public void Open_TestDriver_DescribesTheHostForVerification()
    {
        using var connection = LibvirtConnection.Open("test:///default");

        var hypervisor = connection.GetHypervisor();
        Assert.Equal("TEST", hypervisor.Type.ToUpperInvariant());
        Assert.Equal(new Version(0, 0, 2), hypervisor.Version);
        Assert.True(hypervisor.LibraryVersion >= new Version(9, 0, 0), hypervisor.LibraryVersion.ToString());
        Assert.True(hypervisor.SupportsSaveRestore);
        Assert.True(hypervisor.SupportsSuspendResume);
        Assert.False(string.IsNullOrEmpty(hypervisor.HostName));

        var node = connection.GetNodeInfo();
        Assert.Equal(16, node.Cpus);
        Assert.Equal(3_145_728UL, node.MemoryKiB);
        Assert.Equal("i686", node.CpuModel);

        var capabilities = connection.GetCapabilities();
        Assert.Equal("i686", capabilities.HostArchitecture);
        Assert.Contains(capabilities.Guests, g => g.Architecture == "i686" && g.OsType == "hvm" && g.DomainTypes.Contains("test"));
        Assert.True(connection.IsAlive);
    }

    [Fact]
    public void Storage_CloneOfABaseVolume_IsMadeOnceFoundAndDeleted()
    {
        var node = Path.Combine(_folder, "storage-node.xml");
        File.WriteAllText(node, """
            <node>
              <cpu><mhz>2400</mhz><model>x86_64</model><active>4</active><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>2</threads></cpu>
              <memory>8388608</memory>
              <pool type='dir'>
                <name>images</name>
                <capacity>107374182400</capacity><allocation>0</allocation><available>107374182400</available>
                <source/>
                <target><path>/images</path></target>
                <volume type='file'><name>ubuntu.qcow2</name><capacity>1073741824</capacity><allocation>1048576</allocation><target><format type='qcow2'/></target></volume>
              </pool>
            </node>
            """);
        using var connection = LibvirtConnection.Open($"test://{node}");

        var baseVolume = connection.FindVolume("images", "ubuntu.qcow2");
        Assert.NotNull(baseVolume);
        Assert.Null(connection.FindVolume("images", "web-1.qcow2"));

        var clone = connection.CloneVolume("images", "ubuntu.qcow2", "web-1.qcow2");
        Assert.Equal(("images", "web-1.qcow2", baseVolume.CapacityBytes), (clone.Pool, clone.Name, clone.CapacityBytes));
        Assert.Equal("qcow2", clone.Format);
        Assert.EndsWith("web-1.qcow2", clone.Path, StringComparison.Ordinal);
        Assert.Equal(clone, connection.CloneVolume("images", "ubuntu.qcow2", "web-1.qcow2"));
        Assert.Equal(clone, connection.FindVolume("images", "web-1.qcow2"));

        Assert.True(connection.DeleteVolume("images", "web-1.qcow2"));
        Assert.False(connection.DeleteVolume("images", "web-1.qcow2"));
        Assert.Null(connection.FindVolume("images", "web-1.qcow2"));
        Assert.Throws<StorageNotFoundException>(() => connection.FindVolume("no-such-pool", "x"));
        Assert.Throws<StorageNotFoundException>(() => connection.CloneVolume("images", "no-such-base", "web-2.qcow2"));
    }

    [Fact]
    public void DomainLifecycle_DefineStartSuspendResumeRebootSaveRestoreShutdownUndefine_MovesThroughEveryState()
    {
        using var connection = LibvirtConnection.Open("test:///default");
        var name = $"web-{Guid.NewGuid():N}"[..16];

        var defined = connection.DefineDomain(DomainXml(name));
        Assert.Equal((DomainState.ShutOff, true, 2), (defined.State, defined.Persistent, defined.VirtualCpus));
        Assert.Contains(connection.ListDomains(), d => d.Name == name);
        Assert.Contains($"<name>{name}</name>", connection.GetDomainXml(name), StringComparison.Ordinal);

        connection.StartDomain(name);
        Assert.Equal(DomainState.Running, connection.GetDomain(name).State);
        connection.SuspendDomain(name);
        Assert.Equal(DomainState.Paused, connection.GetDomain(name).State);
        connection.ResumeDomain(name);
        Assert.Equal(DomainState.Running, connection.GetDomain(name).State);
        connection.RebootDomain(name);
        Assert.Equal(DomainState.Running, connection.GetDomain(name).State);

        var saved = Path.Combine(_folder, $"{name}.save");
        connection.SaveDomain(name, saved);
        Assert.True(new FileInfo(saved).Length > 0);
        Assert.Equal(DomainState.ShutOff, connection.GetDomain(name).State);
        connection.RestoreDomain(saved);
        Assert.Equal(DomainState.Running, connection.GetDomain(name).State);
        Assert.Equal(defined.Uuid, connection.GetDomain(name).Uuid);

        connection.ShutdownDomain(name);
        Assert.Equal(DomainState.ShutOff, connection.GetDomain(name).State);
        connection.StartDomain(name);
        connection.DestroyDomain(name);
        Assert.Equal(DomainState.ShutOff, connection.GetDomain(name).State);

        connection.UndefineDomain(name);
        Assert.DoesNotContain(connection.ListDomains(), d => d.Name == name);
    }

    [Fact]
    public void SavedDomain_RestoresOnAnotherConnection_LikeAnotherHost()
    {
        var name = $"mig-{Guid.NewGuid():N}"[..16];
        var saved = Path.Combine(_folder, $"{name}.save");
        Guid uuid;
        using (var source = LibvirtConnection.Open("test:///default"))
        {
            uuid = source.DefineDomain(DomainXml(name)).Uuid;
            source.StartDomain(name);
            source.SaveDomain(name, saved);
        }

        using var target = LibvirtConnection.Open("test:///default");
        Assert.DoesNotContain(target.ListDomains(), d => d.Name == name);
        target.RestoreDomain(saved);
        var restored = target.GetDomain(name);
        Assert.Equal((DomainState.Running, uuid), (restored.State, restored.Uuid));
    }

    [Fact]
    public void Errors_ComeBackTyped_WithLibvirtsMessage()
    {
        using var connection = LibvirtConnection.Open("test:///default");

        var missing = Assert.Throws<DomainNotFoundException>(() => connection.StartDomain("no-such-domain"));
        Assert.Equal(LibvirtErrorCode.NoDomain, missing.Code);
        Assert.Contains("no-such-domain", missing.Message, StringComparison.Ordinal);

        var name = $"st-{Guid.NewGuid():N}"[..16];
        connection.DefineDomain(DomainXml(name));
        var state = Assert.Throws<DomainStateException>(() => connection.DestroyDomain(name));
        Assert.Equal(("virDomainDestroy", LibvirtErrorCode.OperationInvalid), (state.Operation, state.Code));
        Assert.Contains("not running", state.Message, StringComparison.Ordinal);

        var xml = Assert.Throws<LibvirtException>(() => connection.DefineDomain("<domain type='test'><name>broken"));
        Assert.Contains(xml.Code, new[] { LibvirtErrorCode.XmlError, LibvirtErrorCode.XmlDetail });

        Assert.Throws<LibvirtConnectionException>(() => LibvirtConnection.Open("qemu+tcp://127.0.0.1:1/system"));
        Assert.ThrowsAny<LibvirtException>(() => LibvirtConnection.Open("nosuchdriver:///x"));
    }

    [Fact]
    public void ReadOnlyConnection_RefusesChanges_AsAccessDenied()
    {
        using var connection = LibvirtConnection.Open("test:///default", readOnly: true);

        Assert.Contains(connection.ListDomains(), d => d.Name == "test");
        var refused = Assert.Throws<LibvirtAccessException>(() => connection.SuspendDomain("test"));
        Assert.Equal(LibvirtErrorCode.OperationDenied, refused.Code);
    }

    [Fact]
    public void CustomNodeFile_DescribesTheHostItDeclares()
    {
        var node = Path.Combine(_folder, "node.xml");
        File.WriteAllText(node, """
            <node>
              <cpu><mhz>2400</mhz><model>x86_64</model><active>8</active><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>2</threads></cpu>
              <memory>16777216</memory>
              <domain type='test'><name>db-1</name><memory>1048576</memory><vcpu>2</vcpu><os><type>hvm</type></os></domain>
            </node>
            """);
        using var connection = LibvirtConnection.Open($"test://{node}");

        var info = connection.GetNodeInfo();
        Assert.Equal((8, 16_777_216UL, 2400), (info.Cpus, info.MemoryKiB, info.Mhz));
        Assert.Equal(["db-1"], connection.ListDomains().Select(d => d.Name));
    }

    private static string DomainXml(string name) => $"""
        <domain type='test'>
          <name>{name}</name>
          <memory unit='KiB'>524288</memory>
          <vcpu>2</vcpu>
          <os><type arch='i686'>hvm</type></os>
        </domain>
        """;

    [Fact]
    public void GetDomainAddresses_ReadsEachNicsAddresses_FromTheDriver()
    {
        using var connection = LibvirtConnection.Open("test:///default");

        var leased = Assert.Single(connection.GetDomainAddresses("test", DomainAddressSource.Lease));

        Assert.Equal(("testnet0", "aa:bb:cc:dd:ee:ff", "192.168.122.3", 24), (leased.Interface, leased.HardwareAddress, leased.Address.ToString(), leased.Prefix));
        Assert.Throws<DomainNotFoundException>(() => connection.GetDomainAddresses("no-such-domain", DomainAddressSource.Lease));
    }
}

using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Contracts.Migrations;
using Serverless.Libvirt;
using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Migration;

namespace Serverless.RelayAgent.Tests;

/// <summary>
/// <c>instance.define</c>, the power actions and <c>instance.terminate</c> on a test-driver host of the test's own, with
/// a storage pool holding the image's base volume. Every command is sent twice where a redelivery can happen: the second
/// finds what the first did.
/// </summary>
public sealed class InstanceLifecycleHandlerTests : IDisposable
{
    private const string InstanceId = "contoso/web-1";
    private readonly string _folder = Directory.CreateTempSubdirectory("instance-lifecycle-").FullName;
    private readonly LibvirtHosts _hosts;

    public InstanceLifecycleHandlerTests()
    {
        var node = Path.Combine(_folder, "node.xml");
        File.WriteAllText(node, """
            <node>
              <cpu><mhz>2400</mhz><model>x86_64</model><active>4</active><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>2</threads></cpu>
              <memory>8388608</memory>
              <domain type='test'><name>legacy</name><memory>1048576</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>
              <pool type='dir'>
                <name>images</name>
                <capacity>107374182400</capacity><allocation>0</allocation><available>107374182400</available>
                <source/><target><path>/images</path></target>
                <volume type='file'><name>ubuntu.qcow2</name><capacity>1073741824</capacity><allocation>1048576</allocation><target><format type='qcow2'/></target></volume>
              </pool>
            </node>
            """);
        Host = $"test://{node}";
        _hosts = new LibvirtHosts(Options.Create(new LibvirtAgentOptions { Uris = [Host], Images = { ["ubuntu-24.04"] = "images/ubuntu.qcow2", ["alpine"] = "images/alpine.qcow2" }, Network = "default" }));
    }

    private string Host { get; }

    [Fact]
    public async Task Define_ClonesTheImageAndDefinesTheDomainOnce_WithTheInstanceIdInItsMetadata()
    {
        var first = await DefineAsync("web-1", InstanceId);
        var again = await DefineAsync("web-1", InstanceId);

        Assert.Equal(("web-1", InstanceState.ShutOff, true), (first.Name, first.State, first.Created));
        Assert.Equal(new InstanceVolume("images", "web-1.qcow2", first.Volume.Path), first.Volume);
        Assert.Equal((first.Volume, false), (again.Volume, again.Created));
        var connection = _hosts.Get(Host);
        var domain = connection.GetDomain("web-1");
        Assert.Equal((2, 1024UL * 1024), (domain.VirtualCpus, domain.MaxMemoryKiB));
        var xml = connection.GetDomainXml("web-1");
        Assert.Equal(InstanceId, DomainDefinition.InstanceIdOf(xml));
        Assert.Contains(first.Volume.Path, xml, StringComparison.Ordinal);
        Assert.Contains("<source network='default'", xml.Replace('"', '\''), StringComparison.Ordinal);
        Assert.NotNull(connection.FindVolume("images", "web-1.qcow2"));
    }

    [Fact]
    public void Verify_Host_ReportsTheImagesWhoseBaseVolumeItHas()
    {
        var report = new LibvirtVerifier(_hosts).Verify(new LibvirtVerification(Host), "c1");

        Assert.Equal("ubuntu-24.04", report.Capabilities["libvirt.images"]);
    }

    [Fact]
    public async Task Define_NameOfADomainWeDidNotMake_IsRefusedAndLeavesIt()
    {
        var failure = await Assert.ThrowsAsync<CommandFailure>(() => DefineAsync("legacy", "contoso/legacy"));

        Assert.Equal(CommandErrorKind.DeviceError, failure.Kind);
        Assert.Contains("not instance contoso/legacy", failure.Message, StringComparison.Ordinal);
        Assert.Null(DomainDefinition.InstanceIdOf(_hosts.Get(Host).GetDomainXml("legacy")));
        Assert.Null(_hosts.Get(Host).FindVolume("images", "legacy.qcow2"));
    }

    [Fact]
    public async Task Define_ImageTheAgentDoesNotOffer_FailsNamingIt()
    {
        var failure = await Assert.ThrowsAsync<CommandFailure>(() => Handler(CommandKinds.DefineInstance).ExecuteAsync(
            Envelope(CommandKinds.DefineInstance, new InstanceDefinePayload(Host, "web-2", "contoso/web-2", 1, 512, "windows-2022")), CancellationToken.None));

        Assert.Contains("offers no image 'windows-2022'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PowerActions_SuspendResumeReboot_RepeatHarmlessly_AndRefuseAStateThatDoesNotAllowThem()
    {
        await DefineAsync("web-1", InstanceId);
        _hosts.Get(Host).StartDomain("web-1");

        Assert.Equal(InstanceState.Paused, await ActAsync(CommandKinds.SuspendInstance));
        Assert.Equal(InstanceState.Paused, await ActAsync(CommandKinds.SuspendInstance));
        Assert.Equal(InstanceState.Running, await ActAsync(CommandKinds.ResumeInstance));
        Assert.Equal(InstanceState.Running, await ActAsync(CommandKinds.ResumeInstance));
        Assert.Equal(InstanceState.Running, await ActAsync(CommandKinds.RebootInstance));

        _hosts.Get(Host).DestroyDomain("web-1");
        var failure = await Assert.ThrowsAsync<CommandFailure>(() => ActAsync(CommandKinds.RebootInstance));
        Assert.Equal("'web-1' is shutOff; instance.reboot needs it running.", failure.Message);
    }

    [Fact]
    public async Task Terminate_RunningInstance_RemovesDomainAndDisk_AndARepeatFindsNothingLeft()
    {
        var defined = await DefineAsync("web-1", InstanceId);
        _hosts.Get(Host).StartDomain("web-1");

        var first = await TerminateAsync("web-1", InstanceId, defined.Volume);
        var again = await TerminateAsync("web-1", InstanceId, defined.Volume);

        Assert.Equal(new InstanceTerminateOutput("web-1", DomainRemoved: true, VolumeRemoved: true), first);
        Assert.Equal(new InstanceTerminateOutput("web-1", DomainRemoved: false, VolumeRemoved: false), again);
        Assert.DoesNotContain(_hosts.Get(Host).ListDomains(), d => d.Name == "web-1");
        Assert.Null(_hosts.Get(Host).FindVolume("images", "web-1.qcow2"));
    }

    [Fact]
    public async Task Terminate_DomainThatIsNotTheInstances_IsRefusedAndLeftRunning()
    {
        var failure = await Assert.ThrowsAsync<CommandFailure>(() => TerminateAsync("legacy", "contoso/legacy", null));

        Assert.Contains("is not instance contoso/legacy", failure.Message, StringComparison.Ordinal);
        Assert.Equal(DomainState.Running, _hosts.Get(Host).GetDomain("legacy").State);
    }

    [Fact]
    public async Task Adopt_ADomainSomeoneElseMade_StampsTheIdLiveAndPersistent_KeepsItRunning_AndTerminateThenRecognisesIt()
    {
        var first = await AdoptAsync("legacy", "contoso/legacy");
        var again = await AdoptAsync("legacy", "contoso/legacy");

        Assert.Equal(new InstanceAdoptOutput("legacy", InstanceState.Running, 1, 1024, null, Adopted: true), first);
        Assert.Equal(first with { Adopted = false }, again);
        var connection = _hosts.Get(Host);
        Assert.Equal(DomainState.Running, connection.GetDomain("legacy").State);
        Assert.Equal("contoso/legacy", DomainDefinition.InstanceIdOf(connection.GetDomainXml("legacy")));

        var other = await Assert.ThrowsAsync<CommandFailure>(() => AdoptAsync("legacy", "contoso/another"));
        Assert.Contains("is already instance contoso/legacy", other.Message, StringComparison.Ordinal);

        Assert.Equal(new InstanceTerminateOutput("legacy", DomainRemoved: true, VolumeRemoved: false), await TerminateAsync("legacy", "contoso/legacy", first.Volume));
        Assert.DoesNotContain(connection.ListDomains(), d => d.Name == "legacy");
    }

    [Fact]
    public async Task Adopt_ADomainWhoseDiskIsAPoolVolume_ReportsTheVolume_AndAMissingDomainIsNamed()
    {
        var connection = _hosts.Get(Host);
        var disk = connection.CloneVolume("images", "ubuntu.qcow2", "by-hand.qcow2");
        connection.DefineDomain($"""
            <domain type='test'><name>by-hand</name><memory unit='MiB'>512</memory><vcpu>2</vcpu><os><type>hvm</type></os>
              <devices><disk type='file' device='disk'><source file='{disk.Path}'/><target dev='vda'/></disk></devices></domain>
            """);

        var adopted = await AdoptAsync("by-hand", "contoso/by-hand");

        Assert.Equal(new InstanceAdoptOutput("by-hand", InstanceState.ShutOff, 2, 512, new InstanceVolume("images", "by-hand.qcow2", disk.Path), Adopted: true), adopted);
        var missing = await Assert.ThrowsAsync<CommandFailure>(() => AdoptAsync("nowhere", "contoso/nowhere"));
        Assert.Equal("the host has no domain named 'nowhere'.", missing.Message);
    }

    [Fact]
    public async Task Terminate_ATransientDomain_ATestMigrationsCopy_DestroysIt_WithNoDefinitionLeftToRemove()
    {
        var defined = await DefineAsync("web-1", InstanceId);
        var connection = _hosts.Get(Host);
        connection.StartDomain("web-1");
        connection.UndefineDomain("web-1");
        Assert.Equal(DomainState.Running, connection.GetDomain("web-1").State);

        var output = await TerminateAsync("web-1", InstanceId, defined.Volume);

        Assert.Equal((true, true), (output.DomainRemoved, output.VolumeRemoved));
        Assert.DoesNotContain(connection.ListDomains(), d => d.Name == "web-1");
    }

    [Fact]
    public async Task RestoreCheck_ForATestCopy_RefusesAHostThatHasTheInstance_WhichACutoverAllows()
    {
        await DefineAsync("web-1", InstanceId);
        var traits = DomainTraitsReader.Read(_hosts.Get(Host).GetDomainXml("web-1"));
        var handler = new RestoreCheckHandler(_hosts);

        async Task<IReadOnlyList<string>> ReasonsAsync(bool testCopy) =>
            (await handler.ExecuteAsync(Envelope(CommandKinds.CheckRestore, new RestoreCheckPayload(Host, "web-1", InstanceId, traits, null, 0, null, testCopy)), CancellationToken.None))
            .Deserialize(ContractsJsonContext.Default.RestoreCheckOutput)!.Reasons;

        Assert.Empty(await ReasonsAsync(testCopy: false));
        Assert.Contains("a test copy keeps the instance's name and UUID", Assert.Single(await ReasonsAsync(testCopy: true)), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _hosts.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private ICommandHandler Handler(string kind) => kind switch
    {
        CommandKinds.DefineInstance => new InstanceDefineHandler(_hosts, NullLogger<InstanceDefineHandler>.Instance),
        CommandKinds.TerminateInstance => new InstanceTerminateHandler(_hosts, NullLogger<InstanceTerminateHandler>.Instance),
        CommandKinds.AdoptInstance => new InstanceAdoptHandler(_hosts, NullLogger<InstanceAdoptHandler>.Instance),
        _ => new InstanceActionHandler(kind, _hosts, NullLogger<InstanceActionHandler>.Instance),
    };

    private async Task<InstanceDefineOutput> DefineAsync(string name, string instanceId) =>
        (await Handler(CommandKinds.DefineInstance).ExecuteAsync(
            Envelope(CommandKinds.DefineInstance, new InstanceDefinePayload(Host, name, instanceId, 2, 1024, "ubuntu-24.04")), CancellationToken.None))
        .Deserialize(ContractsJsonContext.Default.InstanceDefineOutput)!;

    private async Task<InstanceAdoptOutput> AdoptAsync(string name, string instanceId) =>
        (await Handler(CommandKinds.AdoptInstance).ExecuteAsync(
            Envelope(CommandKinds.AdoptInstance, new InstanceAdoptPayload(Host, name, instanceId)), CancellationToken.None))
        .Deserialize(ContractsJsonContext.Default.InstanceAdoptOutput)!;

    private async Task<InstanceState> ActAsync(string kind) =>
        (await Handler(kind).ExecuteAsync(Envelope(kind, new InstanceActionPayload(Host, "web-1")), CancellationToken.None))
        .Deserialize(ContractsJsonContext.Default.InstanceActionOutput)!.State;

    private async Task<InstanceTerminateOutput> TerminateAsync(string name, string instanceId, InstanceVolume? volume) =>
        (await Handler(CommandKinds.TerminateInstance).ExecuteAsync(
            Envelope(CommandKinds.TerminateInstance, new InstanceTerminatePayload(Host, name, instanceId, volume)), CancellationToken.None))
        .Deserialize(ContractsJsonContext.Default.InstanceTerminateOutput)!;

    private static CommandEnvelope Envelope<T>(string kind, T payload) =>
        SnmpHandlerFixture.Envelope(kind, JsonSerializer.Serialize(payload, typeof(T), ContractsJsonContext.Default));
}

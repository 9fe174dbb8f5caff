using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Contracts.Snmp;
using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Libvirt;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Tests;

/// <summary>
/// <c>instance.stop</c>, <c>instance.list</c> and <c>resource.uninstall</c> on the libvirt test driver. Each test has its own host from its
/// own node file (domain <c>test</c>, running): <c>test:///default</c> is one state shared by every connection in the
/// process, so another test class holding it open would leak a stopped domain into these tests.
/// </summary>
public sealed class InstanceHandlerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("instance-handler-").FullName;
    private readonly LibvirtHosts _hosts;

    public InstanceHandlerTests()
    {
        var node = Path.Combine(_folder, "node.xml");
        File.WriteAllText(node, """
            <node>
              <cpu><mhz>2400</mhz><model>x86_64</model><active>4</active><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>2</threads></cpu>
              <memory>8388608</memory>
              <domain type='test'><name>test</name><memory>1048576</memory><vcpu>2</vcpu><os><type>hvm</type></os></domain>
            </node>
            """);
        Host = $"test://{node}";
        _hosts = new(Microsoft.Extensions.Options.Options.Create(new LibvirtAgentOptions { Uris = [Host, "test:///default"] }));
    }

    private string Host { get; }

    [Fact]
    public async Task Verify_Host_ListsItsInstancesWithState()
    {
        var handler = new CapabilitiesVerifyHandler(
            new SnmpClient(), null!, null!, new LibvirtVerifier(_hosts), null!, NullLogger<CapabilitiesVerifyHandler>.Instance);

        var output = await handler.ExecuteAsync(SnmpHandlerFixture.Envelope(CommandKinds.VerifyCapabilities, $$$"""{"libvirt":{"uri":"{{{Host}}}"}}"""), CancellationToken.None);

        var report = output.Deserialize(ContractsJsonContext.Default.CapabilityVerificationResult)!;
        Assert.Equal([new HostInstance("test", InstanceState.Running)], report.Instances);
    }

    [Fact]
    public async Task List_Host_ReportsEveryDomainWithItsStateNow()
    {
        _hosts.Get(Host).DestroyDomain("test");
        var handler = new InstanceListHandler(_hosts);

        var output = await handler.ExecuteAsync(SnmpHandlerFixture.Envelope(CommandKinds.ListInstances, $$"""{"uri":"{{Host}}"}"""), CancellationToken.None);

        var report = output.Deserialize(ContractsJsonContext.Default.InstanceListOutput)!;
        Assert.Equal(Host, report.Uri);
        Assert.Equal([new HostInstance("test", InstanceState.ShutOff)], report.Instances);
    }

    [Fact]
    public async Task List_UriNotInTheConfiguration_IsRefused()
    {
        var failure = await Assert.ThrowsAsync<CommandFailure>(() => new InstanceListHandler(_hosts).ExecuteAsync(
            SnmpHandlerFixture.Envelope(CommandKinds.ListInstances, """{"uri":"qemu:///system"}"""), CancellationToken.None));

        Assert.Equal(CommandErrorKind.Unauthorized, failure.Kind);
    }

    [Fact]
    public async Task Stop_RunningInstance_ShutsItDownGracefully()
    {
        var output = await StopAsync("test");

        Assert.Equal(new InstanceStopOutput("test", InstanceState.ShutOff, Forced: false, Found: true), output);
        Assert.Equal(Serverless.Libvirt.DomainState.ShutOff, _hosts.Get(Host).GetDomain("test").State);
    }

    [Fact]
    public async Task Stop_WithoutGrace_PowersTheInstanceOffAtOnce()
    {
        var output = await StopAsync("test", graceSeconds: 0);

        Assert.Equal(new InstanceStopOutput("test", InstanceState.ShutOff, Forced: true, Found: true), output);
    }

    [Fact]
    public async Task Stop_InstanceAlreadyOff_LeavesItAndSaysSo()
    {
        _hosts.Get(Host).DestroyDomain("test");

        Assert.Equal(new InstanceStopOutput("test", InstanceState.ShutOff, Forced: false, Found: true), await StopAsync("test"));
    }

    [Fact]
    public async Task Stop_InstanceTheHostDoesNotHave_IsNotFoundAndNothingRuns()
    {
        Assert.Equal(new InstanceStopOutput("ghost", InstanceState.ShutOff, Forced: false, Found: false), await StopAsync("ghost"));
    }

    [Theory]
    [InlineData("""{"uri":"test:///other","name":"test"}""", CommandErrorKind.Unauthorized, "this agent's configuration does not list 'test:///other'")]
    [InlineData("""{"uri":"test:///default"}""", CommandErrorKind.InvalidPayload, "name: required.")]
    [InlineData("""{"uri":"test:///default","name":"test","graceSeconds":3601}""", CommandErrorKind.InvalidPayload, "graceSeconds: must be 0 to 3600.")]
    [InlineData("""{"uri":"test:///default","name":"test","graceSeconds":"soon"}""", CommandErrorKind.InvalidPayload, "graceSeconds:")]
    public async Task Stop_BadCommand_FailsWithItsKindAndField(string payload, CommandErrorKind kind, string message)
    {
        var failure = await Assert.ThrowsAsync<CommandFailure>(() => StopHandler().ExecuteAsync(
            SnmpHandlerFixture.Envelope(CommandKinds.StopInstance, payload), CancellationToken.None));

        Assert.Equal(kind, failure.Kind);
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uninstall_Host_ClosesItsConnectionOnceAndThenHoldsNothing()
    {
        await using var snmp = new SnmpClient();
        var handler = new ResourceUninstallHandler(_hosts, snmp, NullLogger<ResourceUninstallHandler>.Instance);
        _hosts.Get(Host);
        var payload = $$"""{"resourceId":"kvm-1","libvirtUri":"{{Host}}"}""";

        var first = await UninstallAsync(handler, payload);
        var again = await UninstallAsync(handler, payload);

        Assert.Equal([$"libvirt connection to {Host} closed"], first.Released);
        Assert.Empty(again.Released);
    }

    [Theory]
    [InlineData("""{"resourceId":"kvm-1"}""", "libvirtUri, snmpAddress: give exactly one.")]
    [InlineData("""{"resourceId":"kvm-1","libvirtUri":"test:///default","snmpAddress":"10.0.0.1"}""", "libvirtUri, snmpAddress: give exactly one.")]
    [InlineData("""{"libvirtUri":"test:///default"}""", "resourceId:")]
    [InlineData("""{"resourceId":"lb-1","snmpAddress":"10.0.0.1:notaport"}""", "snmpAddress:")]
    public async Task Uninstall_BadPayload_IsInvalidNamingTheField(string payload, string message)
    {
        await using var snmp = new SnmpClient();
        var handler = new ResourceUninstallHandler(_hosts, snmp, NullLogger<ResourceUninstallHandler>.Instance);

        var failure = await Assert.ThrowsAsync<CommandFailure>(() => UninstallAsync(handler, payload));

        Assert.Equal(CommandErrorKind.InvalidPayload, failure.Kind);
        Assert.StartsWith(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstanceMetrics_RunningInstance_GivesMemoryAtOnceAndCpuFromTheSecondPoll_AStoppedOneSaysSo()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var metrics = new InstanceMetrics(_hosts, clock);
        MetricsPollTarget[] targets = [new("pool.vm-1", null, new InstanceTarget(Host, "test")), new("pool.vm-2", null, new InstanceTarget("test:///other", "test"))];

        var first = await metrics.PollAsync(targets, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(5));
        var second = await metrics.PollAsync(targets, CancellationToken.None);
        _hosts.Get(Host).DestroyDomain("test");
        var stopped = await metrics.PollAsync(targets[..1], CancellationToken.None);

        Assert.Equal([InstanceMetrics.MemoryKiB], first.Samples.Select(s => s.Metric));
        Assert.True(first.Samples[0].Value > 0);
        Assert.Equal(CommandErrorKind.Unauthorized, Assert.Single(first.Failures).Kind);
        var cpu = Assert.Single(second.Samples, s => s.Metric == InstanceMetrics.CpuUtilization);
        Assert.InRange(cpu.Value, 0, 64);
        Assert.Empty(stopped.Samples);
        Assert.Contains("is ShutOff: no metrics while it does not run", Assert.Single(stopped.Failures).Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _hosts.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private InstanceStopHandler StopHandler() => new(_hosts, TimeProvider.System, NullLogger<InstanceStopHandler>.Instance);

    private async Task<InstanceStopOutput> StopAsync(string name, int graceSeconds = 5)
    {
        var output = await StopHandler().ExecuteAsync(
            SnmpHandlerFixture.Envelope(CommandKinds.StopInstance, $$"""{"uri":"{{Host}}","name":"{{name}}","graceSeconds":{{graceSeconds}}}"""), CancellationToken.None);
        return output.Deserialize(ContractsJsonContext.Default.InstanceStopOutput)!;
    }

    private static async Task<ResourceUninstallOutput> UninstallAsync(ResourceUninstallHandler handler, string payload)
    {
        var output = await handler.ExecuteAsync(SnmpHandlerFixture.Envelope(CommandKinds.UninstallResource, payload), CancellationToken.None);
        return output.Deserialize(ContractsJsonContext.Default.ResourceUninstallOutput)!;
    }
}

using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;

namespace Serverless.RelayAgent.Tests;

/// <summary><c>capabilities.verify</c> of virtualization hosts through the libvirt test driver.</summary>
public sealed class LibvirtVerifyTests(SnmpHandlerFixture fixture) : IClassFixture<SnmpHandlerFixture>
{
    [Fact]
    public async Task Verify_ConfiguredTestHost_ReportsHypervisorNodeAndFeatures()
    {
        var report = await VerifyAsync("test:///default");

        Assert.True(report.Reachable);
        Assert.Empty(report.Problems);
        Assert.Equal("TEST", report.Capabilities["libvirt.driver"].ToUpperInvariant());
        Assert.Equal("0.0.2", report.Capabilities["libvirt.hypervisorVersion"]);
        Assert.Equal("16", report.Capabilities["libvirt.cpus"]);
        Assert.Equal("test", report.Capabilities["libvirt.domainTypes"]);
        Assert.Equal(("true", "true"), (report.Capabilities["libvirt.saveRestore"], report.Capabilities["libvirt.suspendResume"]));
    }

    [Fact]
    public async Task Verify_UriTheAgentDoesNotList_IsRefusedWithoutConnecting()
    {
        var report = await VerifyAsync("test:///elsewhere");

        Assert.False(report.Reachable);
        Assert.StartsWith("not allowed: this agent's configuration does not list 'test:///elsewhere'", Assert.Single(report.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ListedButUnreachableHost_SaysUnreachable()
    {
        var report = await VerifyAsync(SnmpHandlerFixture.UnreachableHost);

        Assert.False(report.Reachable);
        Assert.StartsWith("unreachable: virConnectOpen", Assert.Single(report.Problems), StringComparison.Ordinal);
    }

    private async Task<CapabilityVerificationResult> VerifyAsync(string uri)
    {
        var output = await fixture.ExecuteAsync(CommandKinds.VerifyCapabilities, $$$"""{"libvirt":{"uri":"{{{uri}}}"}}""");
        return output.Deserialize(ContractsJsonContext.Default.CapabilityVerificationResult)!;
    }
}

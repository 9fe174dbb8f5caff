using Serverless.RelayAgent.Migration;

namespace Serverless.RelayAgent.Tests;

/// <summary>A test migration's copy runs detached: every interface's link down, whatever it said before.</summary>
public sealed class DomainLinksTests
{
    [Fact]
    public void WithLinksDown_PullsEveryCable_KeepingTheRestOfEachInterface()
    {
        const string xml = """
            <domain type='kvm'><name>web-1</name><devices>
              <disk type='file' device='disk'><source file='/images/web-1.qcow2'/></disk>
              <interface type='network'><mac address='52:54:00:11:22:33'/><source network='default'/></interface>
              <interface type='bridge'><source bridge='br0'/><link state='up'/></interface>
            </devices></domain>
            """;

        var detached = DomainTraitsReader.WithLinksDown(xml);

        Assert.Equal((2, 0), DomainTraitsReader.Links(xml));
        Assert.Equal((2, 2), DomainTraitsReader.Links(detached));
        Assert.Contains("<mac address=\"52:54:00:11:22:33\" />", detached, StringComparison.Ordinal);
        Assert.Contains("<source bridge=\"br0\" />", detached, StringComparison.Ordinal);
        Assert.Contains("/images/web-1.qcow2", detached, StringComparison.Ordinal);
    }

    [Fact]
    public void WithLinksDown_ADomainWithoutInterfaces_IsUnchangedInSubstance()
    {
        const string xml = "<domain type='test'><name>db-1</name><devices><disk type='file' device='disk'/></devices></domain>";

        Assert.Equal((0, 0), DomainTraitsReader.Links(DomainTraitsReader.WithLinksDown(xml)));
    }
}

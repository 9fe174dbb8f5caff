using Serverless.ControlPlane.Placement;

namespace Serverless.ControlPlane.Tests;

/// <summary>Placement's choices and its refusals, case by case: each refusal names every host and why.</summary>
public sealed class PlacementEngineTests
{
    private static readonly PlacementOptions Options = new() { CpuOvercommit = 1, MemoryOvercommit = 1 };

    public static TheoryData<string, string> Refusals() => new()
    {
        { "kvm-1 cpus=4 used=2; kvm-2 disconnected", "no host in [dc-1, cloud-1] can take 4 vCPU(s) and 2048 MiB with image 'ubuntu': kvm-1 has 2 vCPU(s) free; kvm-2 is disconnected." },
        { "kvm-1 memory=4096 usedMemory=3072", "no host in [dc-1, cloud-1] can take 4 vCPU(s) and 2048 MiB with image 'ubuntu': kvm-1 has 1024 MiB free." },
        { "kvm-1 unregistered", "no host in [dc-1, cloud-1] can take 4 vCPU(s) and 2048 MiB with image 'ubuntu': kvm-1 is not registered for compute." },
        { "kvm-1 noimage", "no host in [dc-1, cloud-1] can take 4 vCPU(s) and 2048 MiB with image 'ubuntu': kvm-1 does not offer image 'ubuntu'." },
        { "kvm-1 aag=web", "no host in [dc-1, cloud-1] can take 4 vCPU(s) and 2048 MiB with image 'ubuntu': kvm-1 already holds an instance of anti-affinity group 'web'." },
        { "kvm-9 zone=dc-9", "no compute host is registered in [dc-1, cloud-1]." },
        { "kvm-1 cpus=2 used=8", "no host in [dc-1, cloud-1] can take 4 vCPU(s) and 2048 MiB with image 'ubuntu': kvm-1 has 0 vCPU(s) free." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Place_NoHostCanTakeIt_RefusesNamingEachHostAndWhy(string hosts, string explanation)
    {
        var decision = Place(new PlacementQuery(4, 2048, "ubuntu", ["dc-1", "cloud-1"], AntiAffinityGroup: "web"), hosts, Options);

        Assert.False(decision.Placed);
        Assert.Equal(explanation, decision.Explanation);
    }

    [Fact]
    public void Place_SeveralHostsFit_ChoosesTheOneWithTheMostMemoryLeftAndSaysWhyTheOthersWereNot()
    {
        var decision = Place(
            new PlacementQuery(2, 1024, "ubuntu", ["dc-1", "cloud-1"]),
            "kvm-1 memory=8192 usedMemory=6144; kvm-2 memory=8192 usedMemory=1024; kvm-3 zone=cloud-1 memory=16384 usedMemory=12288; kvm-4 disconnected",
            Options);

        Assert.Equal(("kvm-2", "dc-1"), (decision.HostId, decision.Zone));
        Assert.Equal(["kvm-4 is disconnected"], decision.Refusals);
    }

    [Fact]
    public void Place_EqualHosts_BreaksTheTieByHostId()
    {
        var decision = Place(new PlacementQuery(1, 512, "ubuntu", ["dc-1"]), "kvm-b; kvm-a; kvm-c", Options);

        Assert.Equal("kvm-a", decision.HostId);
    }

    [Fact]
    public void Place_SpreadGroup_GoesToTheZoneWithFewestOfTheGroupFirst_EvenOnABusierHost()
    {
        var decision = Place(
            new PlacementQuery(1, 512, "ubuntu", ["dc-1", "cloud-1"], SpreadGroup: "web"),
            "kvm-1 spread=web:2; kvm-2; kvm-3 zone=cloud-1 spread=web:1 usedMemory=6000",
            Options);

        Assert.Equal("kvm-3", decision.HostId);
    }

    [Fact]
    public void Place_Overcommit_PromisesMoreVirtualCpusThanTheHostHas()
    {
        Assert.False(Place(new PlacementQuery(2, 512, "ubuntu", ["dc-1"]), "kvm-1 cpus=2 used=6", Options).Placed);
        Assert.True(Place(new PlacementQuery(2, 512, "ubuntu", ["dc-1"]), "kvm-1 cpus=2 used=6", new PlacementOptions { CpuOvercommit = 4 }).Placed);
    }

    /// <summary>
    /// Places on hosts written as "kvm-1 cpus=4 used=2; kvm-2 disconnected": in dc-1 with 8 CPUs, 8 GiB and image ubuntu
    /// unless said otherwise; "aag=web" and "spread=web:2" say what of those groups a host holds.
    /// </summary>
    private static PlacementDecision Place(PlacementQuery request, string hosts, PlacementOptions options)
    {
        var antiAffinity = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var spread = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var parsed = hosts.Split(';', StringSplitOptions.TrimEntries).Select(text =>
        {
            var words = text.Split(' ');
            var host = new HostCapacity(words[0], "dc-1", true, true, 8, 8192, new HashSet<string> { "ubuntu" }, 0, 0);
            foreach (var word in words.Skip(1))
            {
                var (key, value) = word.Split('=') is [var k, var v] ? (k, v) : (word, string.Empty);
                host = key switch
                {
                    "zone" => host with { Zone = value },
                    "cpus" => host with { Cpus = Number(value) },
                    "used" => host with { UsedVirtualCpus = Number(value) },
                    "memory" => host with { MemoryMiB = Number(value) },
                    "usedMemory" => host with { UsedMemoryMiB = Number(value) },
                    "disconnected" => host with { Connected = false },
                    "unregistered" => host with { Usable = false },
                    "noimage" => host with { Images = new HashSet<string>() },
                    "aag" or "spread" => host,
                    _ => throw new ArgumentException(word),
                };
                if (key == "aag")
                {
                    antiAffinity.TryAdd(value, []);
                    antiAffinity[value].Add(host.HostId);
                }
                else if (key == "spread")
                {
                    var group = value.Split(':')[0];
                    spread.TryAdd(group, []);
                    spread[group][host.HostId] = Number(value.Split(':')[1]);
                }
            }

            return host;
        }).ToList();
        var groups = new PlacementGroups(
            antiAffinity.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value),
            spread.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, int>)p.Value));
        return PlacementEngine.Place(request, parsed, groups, options);
    }

    private static int Number(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}

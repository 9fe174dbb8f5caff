using CsCheck;
using Serverless.ControlPlane.Placement;

namespace Serverless.ControlPlane.Tests;

/// <summary>
/// Placement's promises over generated hosts and launch sequences: capacity is never exceeded, anti-affinity is never
/// broken, a refusal happens only when no host could take the instance, and spread keeps zones within one of each other.
/// </summary>
public sealed class PlacementPropertyTests
{
    private const int Iterations = 1_000;
    private static readonly string[] ZoneNames = ["dc-1", "dc-2", "cloud-1"];
    private static readonly PlacementOptions Options = new() { CpuOvercommit = 2, MemoryOvercommit = 1 };

    private static readonly Gen<HostCapacity> Hosts =
        from zone in Gen.Int[0, ZoneNames.Length - 1]
        from usable in Gen.Int[0, 9].Select(i => i > 0)
        from connected in Gen.Int[0, 9].Select(i => i > 0)
        from cpus in Gen.Int[1, 16]
        from memoryGiB in Gen.Int[1, 32]
        from hasImage in Gen.Int[0, 9].Select(i => i > 0)
        select new HostCapacity(string.Empty, ZoneNames[zone], usable, connected, cpus, memoryGiB * 1024L,
            hasImage ? new HashSet<string> { "ubuntu" } : new HashSet<string>(), 0, 0);

    private static readonly Gen<PlacementQuery> Requests =
        from cpus in Gen.Int[1, 8]
        from memory in Gen.Int[1, 16].Select(g => g * 512)
        from zones in Gen.Int[1, ZoneNames.Length]
        from groupIndex in Gen.Int[0, 3]
        select new PlacementQuery(cpus, memory, "ubuntu", ZoneNames[..zones], groupIndex == 0 ? null : $"g{groupIndex}", groupIndex == 0 ? null : $"g{groupIndex}");

    private static readonly Gen<(HostCapacity[] Hosts, PlacementQuery[] Launches)> Scenarios =
        from hosts in Hosts.Array[1, 12]
        from launches in Requests.Array[1, 40]
        select (hosts.Select((h, i) => h with { HostId = $"kvm-{i:00}" }).ToArray(), launches);

    [Fact]
    public void Place_AnySequenceOfLaunches_NeverExceedsCapacityNorBreaksAntiAffinity_AndRefusesOnlyWhenNoHostFits()
    {
        var placed = 0;
        var refused = 0;
        Scenarios.Sample(scenario =>
        {
            var hosts = scenario.Hosts.ToList();
            var groups = new Groups();
            var members = hosts.ToDictionary(h => h.HostId, _ => new List<string>(), StringComparer.Ordinal);
            foreach (var launch in scenario.Launches)
            {
                var decision = PlacementEngine.Place(launch, hosts, groups.View, Options);
                var fits = hosts.Where(h => Fits(launch, h, groups)).ToList();
                if (!decision.Placed)
                {
                    Assert.Empty(fits);
                    Assert.Equal(hosts.Count(h => launch.Zones.Contains(h.Zone)), decision.Refusals.Count);
                    refused++;
                    continue;
                }

                Assert.Contains(fits, h => h.HostId == decision.HostId);
                var index = hosts.FindIndex(h => h.HostId == decision.HostId);
                hosts[index] = Allocate(hosts[index], launch, groups);
                members[decision.HostId!].Add(launch.AntiAffinityGroup ?? string.Empty);
                placed++;
            }

            foreach (var host in hosts)
            {
                Assert.True(host.UsedVirtualCpus <= host.Cpus * Options.CpuOvercommit, $"{host.HostId}: {host.UsedVirtualCpus} vCPUs on {host.Cpus} CPUs");
                Assert.True(host.UsedMemoryMiB <= host.MemoryMiB * Options.MemoryOvercommit, $"{host.HostId}: {host.UsedMemoryMiB} MiB of {host.MemoryMiB}");
                var held = members[host.HostId].Where(g => g.Length > 0).ToList();
                Assert.Equal(held.Distinct().Count(), held.Count);
            }
        }, iter: Iterations);

        // Both outcomes were exercised, many times: the generator is not degenerate.
        Assert.True(placed > Iterations && refused > Iterations / 10, $"{placed} placed, {refused} refused");
    }

    [Fact]
    public void Place_SpreadGroupOnRoomyHosts_KeepsEveryZoneWithinOneOfTheOthers()
    {
        var checkedLaunches = 0;
        var roomy = from perZone in Gen.Int[1, 4].Array[ZoneNames.Length] from launches in Gen.Int[1, 60] select (perZone, launches);
        roomy.Sample(scenario =>
        {
            var hosts = ZoneNames.SelectMany((zone, z) => Enumerable.Range(0, scenario.perZone[z]).Select(i => new HostCapacity(
                $"{zone}-kvm-{i}", zone, true, true, 64, 1 << 20, new HashSet<string> { "ubuntu" }, 0, 0))).ToList();
            var groups = new Groups();
            var request = new PlacementQuery(1, 512, "ubuntu", ZoneNames, SpreadGroup: "web");
            for (var i = 0; i < scenario.launches; i++)
            {
                var decision = PlacementEngine.Place(request, hosts, groups.View, Options);
                var index = hosts.FindIndex(h => h.HostId == decision.HostId);
                hosts[index] = Allocate(hosts[index], request, groups);
                var perZone = ZoneNames.Select(zone => hosts.Where(h => h.Zone == zone).Sum(h => groups.SpreadOn("web", h.HostId))).ToList();
                Assert.True(perZone.Max() - perZone.Min() <= 1, string.Join(",", perZone));
                foreach (var zone in ZoneNames)
                {
                    var perHost = hosts.Where(h => h.Zone == zone).Select(h => groups.SpreadOn("web", h.HostId)).ToList();
                    Assert.True(perHost.Max() - perHost.Min() <= 1, $"{zone}: {string.Join(",", perHost)}");
                }

                checkedLaunches++;
            }
        }, iter: Iterations);

        Assert.True(checkedLaunches >= Iterations, $"{checkedLaunches} launches checked");
    }

    /// <summary>The brute-force rule placement must agree with.</summary>
    private static bool Fits(PlacementQuery request, HostCapacity host, Groups groups) =>
        request.Zones.Contains(host.Zone) && host.Usable && host.Connected && host.Images.Contains(request.Image)
        && (request.AntiAffinityGroup is null || !groups.Holds(request.AntiAffinityGroup, host.HostId))
        && host.UsedVirtualCpus + request.VirtualCpus <= host.Cpus * Options.CpuOvercommit
        && host.UsedMemoryMiB + request.MemoryMiB <= host.MemoryMiB * Options.MemoryOvercommit;

    private static HostCapacity Allocate(HostCapacity host, PlacementQuery request, Groups groups)
    {
        groups.Add(request, host.HostId);
        return host with { UsedVirtualCpus = host.UsedVirtualCpus + request.VirtualCpus, UsedMemoryMiB = host.UsedMemoryMiB + request.MemoryMiB };
    }

    /// <summary>The groups of the instances placed so far, kept as the launch path keeps them.</summary>
    private sealed class Groups
    {
        private readonly Dictionary<string, IReadOnlySet<string>> _antiAffinity = new(StringComparer.Ordinal);
        private readonly Dictionary<string, IReadOnlyDictionary<string, int>> _spread = new(StringComparer.Ordinal);

        public Groups() => View = new PlacementGroups(_antiAffinity, _spread);

        public PlacementGroups View { get; }

        public bool Holds(string group, string host) => _antiAffinity.TryGetValue(group, out var hosts) && hosts.Contains(host);

        public int SpreadOn(string group, string host) => _spread.TryGetValue(group, out var hosts) ? hosts.GetValueOrDefault(host) : 0;

        public void Add(PlacementQuery request, string host)
        {
            if (request.AntiAffinityGroup is { } aag)
            {
                _antiAffinity.TryAdd(aag, new HashSet<string>(StringComparer.Ordinal));
                ((HashSet<string>)_antiAffinity[aag]).Add(host);
            }

            if (request.SpreadGroup is { } spread)
            {
                _spread.TryAdd(spread, new Dictionary<string, int>(StringComparer.Ordinal));
                var counts = (Dictionary<string, int>)_spread[spread];
                counts[host] = counts.GetValueOrDefault(host) + 1;
            }
        }
    }
}

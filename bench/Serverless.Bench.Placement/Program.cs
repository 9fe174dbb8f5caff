using System.Diagnostics;
using System.Globalization;
using Serverless.ControlPlane.Placement;

// Usage: Serverless.Bench.Placement [HOSTS] [INSTANCES]
// One placement decision over HOSTS hosts in 20 zones holding INSTANCES instances (in 500 anti-affinity groups and
// 500 spread groups), as the launch path sees them: per-host totals and, per group, the hosts holding it, read from
// the hosts' reservation records. Prints the median and p99 of 2,000 decisions, with and without a spread group, after a 3 s warm-up.
var hostCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var instanceCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var random = new Random(42);
var zones = Enumerable.Range(0, 20).Select(z => $"zone-{z:00}").ToArray();
var used = new (int Cpus, long Memory)[hostCount];
var antiAffinity = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
var spreads = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
for (var i = 0; i < instanceCount; i++)
{
    var h = random.Next(hostCount);
    var host = $"kvm-{h:00000}";
    used[h].Cpus += 1 + random.Next(4);
    used[h].Memory += 512 * (1 + random.Next(8));
    var group = $"group-{random.Next(500)}";
    antiAffinity.TryAdd(group, new HashSet<string>(StringComparer.Ordinal));
    ((HashSet<string>)antiAffinity[group]).Add(host);
    var spread = $"spread-{random.Next(500)}";
    spreads.TryAdd(spread, new Dictionary<string, int>(StringComparer.Ordinal));
    var counts = (Dictionary<string, int>)spreads[spread];
    counts[host] = counts.GetValueOrDefault(host) + 1;
}

// Each host its own objects, as they come from storage: no shared sets that would sit in cache for every host.
var hosts = Enumerable.Range(0, hostCount).Select(h => new HostCapacity(
    $"kvm-{h:00000}", new string(zones[h % zones.Length]), true, h % 50 != 0, 64, 256 * 1024, new HashSet<string>(StringComparer.Ordinal) { "ubuntu-24.04", "alpine-3" },
    used[h].Cpus, used[h].Memory)).ToList();
var groups = new PlacementGroups(antiAffinity, spreads);
var options = new PlacementOptions();
var plain = new PlacementQuery(4, 8192, "ubuntu-24.04", zones, AntiAffinityGroup: "group-7");
var spreadRequest = plain with { SpreadGroup = "spread-7" };

Console.WriteLine($"cores {Environment.ProcessorCount}; {hostCount} hosts in {zones.Length} zones, {instanceCount} instances");
Console.WriteLine("request              median µs     p99 µs   chosen");
foreach (var (name, request) in new[] { ("anti-affinity", plain), ("anti-affinity+spread", spreadRequest) })
{
    var warmUp = Stopwatch.StartNew();
    while (warmUp.Elapsed < TimeSpan.FromSeconds(3))
    {
        PlacementEngine.Place(request, hosts, groups, options);
    }

    var times = new double[2_000];
    PlacementDecision decision = null!;
    for (var i = 0; i < times.Length; i++)
    {
        var start = Stopwatch.GetTimestamp();
        decision = PlacementEngine.Place(request, hosts, groups, options);
        times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    Array.Sort(times);
    Console.WriteLine($"{name,-20} {times[times.Length / 2],10:0} {times[(int)(times.Length * 0.99)],10:0}   {decision.HostId}");
}

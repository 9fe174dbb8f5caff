using System.Diagnostics;
using System.Globalization;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Zones;

// Usage: Serverless.Bench.PoolPolicy [POOLS] [MEMBERS_PER_POOL] [READINGS_PER_MEMBER]
// Evaluates every pool once per round on all cores (as one evaluator instance would, partition by partition) and
// prints the median wall time of 7 rounds at the given size, half and double, so the growth with members shows. Every
// size first runs for 5 s unmeasured: earlier rounds measure the JIT's tiers, not the engine.
var pools = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var perPool = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var readings = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 13;
var now = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

Console.WriteLine($"cores {Environment.ProcessorCount}; {readings} readings per active member (10 s apart)");
Console.WriteLine("pools    members   median ms   p-max ms   ns/member   acting pools");
foreach (var scale in new[] { 0.5, 1.0, 2.0 })
{
    var count = (int)(pools * scale);
    var snapshots = Build(count, perPool, readings, now);
    var warmUp = Stopwatch.StartNew();
    while (warmUp.Elapsed < TimeSpan.FromSeconds(5))
    {
        Evaluate(snapshots, now);
    }

    var times = new List<double>();
    var acting = 0;
    for (var i = 0; i < 7; i++)
    {
        var watch = Stopwatch.StartNew();
        acting = Evaluate(snapshots, now);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    var members = count * perPool;
    Console.WriteLine($"{count,6} {members,10} {times[3],11:0.0} {times[^1],10:0.0} {times[3] * 1e6 / members,11:0.0} {acting,14}");
}

static int Evaluate(PoolSnapshot[] snapshots, DateTimeOffset now)
{
    var acting = 0;
    Parallel.For(0, snapshots.Length, () => 0, (i, _, local) => local + (PoolPolicyEngine.Decide(snapshots[i], now).Acts ? 1 : 0), local => Interlocked.Add(ref acting, local));
    return acting;
}

// A realistic mix: half the members active with fresh readings, loads spread so some pools scale out, some in, most hold.
static PoolSnapshot[] Build(int count, int perPool, int readings, DateTimeOffset now)
{
    var random = new Random(42);
    var snapshots = new PoolSnapshot[count];
    for (var p = 0; p < count; p++)
    {
        var policy = new PoolPolicy("connections.active", 100, 60, 40, 120, 90, 2, perPool, 1, MemberPreference.ClientFirst);
        var level = random.Next(0, 160);
        var members = new MemberSnapshot[perPool];
        for (var m = 0; m < perPool; m++)
        {
            var active = m < perPool / 2;
            var window = new MetricPoint[active ? readings : 0];
            for (var r = 0; r < window.Length; r++)
            {
                window[r] = new MetricPoint(now.AddSeconds(-10 * (window.Length - 1 - r)), level + random.NextDouble() * 10);
            }

            members[m] = new MemberSnapshot($"m-{m}", m % 3 == 0 ? ZoneKind.Provider : ZoneKind.Client, active ? MemberState.Active : MemberState.Inactive, now.AddHours(-1), true, window);
        }

        snapshots[p] = new PoolSnapshot($"pool-{p}", policy, members, now.AddHours(-1));
    }

    return snapshots;
}

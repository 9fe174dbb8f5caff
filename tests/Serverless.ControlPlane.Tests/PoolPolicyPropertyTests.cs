using CsCheck;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Tests;

/// <summary>
/// The policy engine's promises over generated pools and loads: the bounds, the cooldown, no flapping under a load that
/// oscillates around a threshold, and a held breach acting within one tick after its hold.
/// </summary>
public sealed class PoolPolicyPropertyTests
{
    private const int Iterations = 2_000;
    private const int TickSeconds = 30;
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static readonly Gen<PoolPolicy> Policies =
        from min in Gen.Int[1, 4]
        from extra in Gen.Int[0, 4]
        from above in Gen.Double[20, 200]
        from gap in Gen.Double[5, 15]
        from activateAfter in Gen.Int[2, 12]
        from deactivateAfter in Gen.Int[2, 12]
        from cooldown in Gen.Int[0, 600]
        from step in Gen.Int[1, 3]
        from preference in Gen.Enum<MemberPreference>()
        select new PoolPolicy("load", above, activateAfter * 10, above - gap, deactivateAfter * 10, cooldown, min, min + extra, step, preference, 10, 120);

    private static readonly Gen<MemberSnapshot> Members =
        from zone in Gen.Enum<ZoneKind>()
        from state in Gen.Enum<MemberState>()
        from sinceSeconds in Gen.Int[0, 300]
        from reachable in Gen.Int[0, 9].Select(i => i > 0)
        from value in Gen.Double[0, 300]
        select new MemberSnapshot(string.Empty, zone, state, Now.AddSeconds(-sinceSeconds), reachable, Steady(value, 600));

    private static readonly Gen<PoolSnapshot> Pools =
        from policy in Policies
        from members in Members.Array[1, 12]
        from lastChange in Gen.Int[0, 900].Select(s => (DateTimeOffset?)Now.AddSeconds(-s))
        select new PoolSnapshot("pool", policy, [.. members.Select((m, i) => m with { MemberId = $"m-{i}" })], lastChange);

    [Fact]
    public void Decide_AnyPool_NeverActsPastTheBoundsAndRestoresTheMinimumWhenItCan() => Pools.Sample(pool =>
    {
        var decision = PoolPolicyEngine.Decide(pool, Now);
        var timedOut = decision.Changes.Where(c => c.To == MemberState.Unhealthy).Select(c => c.MemberId).ToHashSet();
        var before = pool.Members.Count(m => m.Reachable && !timedOut.Contains(m.MemberId) && m.State is MemberState.Active or MemberState.Activating);
        var activated = decision.Changes.Count(c => c.To == MemberState.Activating);
        var deactivated = decision.Changes.Count(c => c.To == MemberState.Deactivating);
        var after = before + activated - deactivated;
        var eligible = pool.Members.Count(m => m.Reachable && m.State == MemberState.Inactive);

        Assert.True(activated == 0 || deactivated == 0, decision.Reason);
        Assert.True(activated == 0 || after <= pool.Policy.MaxActive, $"{decision.Reason}: {after} active");
        Assert.True(deactivated == 0 || after >= pool.Policy.MinActive, $"{decision.Reason}: {after} active");
        Assert.True(after >= Math.Min(pool.Policy.MinActive, before + eligible), $"{decision.Reason}: {after} active");
        Assert.All(decision.Changes.Where(c => c.To is MemberState.Activating or MemberState.Deactivating),
            c => Assert.True(pool.Members.Single(m => m.MemberId == c.MemberId).Reachable));
    }, iter: Iterations);

    [Fact]
    public void Decide_WithinCooldownAndWithinBounds_ChangesNoMemberForLoad()
    {
        var checkedPools = 0;
        Pools.Sample(pool =>
        {
            var cooling = pool with { LastChangeAt = Now.AddSeconds(-pool.Policy.CooldownSeconds / 2.0 - 0.001) };
            var decision = PoolPolicyEngine.Decide(cooling, Now);
            var timedOut = decision.Changes.Where(c => c.To == MemberState.Unhealthy).Select(c => c.MemberId).ToHashSet();
            var counted = pool.Members.Count(m => m.Reachable && !timedOut.Contains(m.MemberId) && m.State is MemberState.Active or MemberState.Activating);

            if (pool.Policy.CooldownSeconds > 0 && counted >= pool.Policy.MinActive && counted <= pool.Policy.MaxActive)
            {
                Assert.All(decision.Changes, c => Assert.Equal(MemberState.Unhealthy, c.To));
                Interlocked.Increment(ref checkedPools);
            }
        }, iter: Iterations);

        // The property holds only for pools within bounds; enough of the generated ones must be.
        Assert.True(checkedPools >= Iterations / 10, $"only {checkedPools} of {Iterations} pools were within bounds and cooling");
    }

    [Fact]
    public void Simulate_LoadOscillatingAroundAThreshold_NeverFlaps()
    {
        var gen =
            from policy in Policies
            from members in Gen.Int[policy.MaxActive, policy.MaxActive + 4]
            from aroundActivate in Gen.Bool
            from amplitudeShare in Gen.Double[0.05, 0.95]
            // Half a period shorter than the hold, or the swing is a held breach, not an oscillation.
            from periodPolls in Gen.Int[1, Math.Max(1, (Math.Min(policy.ActivateAfterSeconds, policy.DeactivateAfterSeconds) / 10) - 1)]
            select (policy, members, aroundActivate, amplitudeShare, periodPolls);

        gen.Sample(c =>
        {
            var (policy, count, aroundActivate, share, periodPolls) = c;
            Assert.True(periodPolls * 10 < Math.Min(policy.ActivateAfterSeconds, policy.DeactivateAfterSeconds), "the generator made a held breach");
            var gap = policy.ActivateAbove - policy.DeactivateBelow;
            var centre = aroundActivate ? policy.ActivateAbove : policy.DeactivateBelow;
            var amplitude = gap * share;
            var changes = Simulate(policy, count, TimeSpan.FromHours(1), t => (t / (periodPolls * 10)) % 2 == 0 ? centre + amplitude : centre - amplitude);

            Assert.True(changes == 0, $"{changes} load-driven changes around {centre} ± {amplitude}");
        }, iter: 300);
    }

    [Fact]
    public void Decide_BreachHeldForItsDuration_ActsAtTheFirstTickAfterwards()
    {
        var gen =
            from policy in Policies
            from inactive in Gen.Int[1, 4]
            from startSeconds in Gen.Int[0, 3_000]
            from tickOffset in Gen.Int[0, TickSeconds - 1]
            select (policy, inactive, startSeconds, tickOffset);

        var checkedBreaches = 0;
        gen.Sample(c =>
        {
            var (policy, inactive, startSeconds, tickOffset) = c;
            var breachStart = Now.AddSeconds(-startSeconds);
            var at = breachStart.AddSeconds(policy.ActivateAfterSeconds + tickOffset);
            var readings = Enumerable.Range(0, 400)
                .Select(i => Now.AddSeconds(-3_600 + i * 10))
                .Where(t => t <= at)
                .Select(t => new MetricPoint(t, t >= breachStart ? policy.ActivateAbove + 1 : policy.ActivateAbove - 1))
                .ToArray();
            MemberSnapshot[] members =
            [
                .. Enumerable.Range(0, policy.MinActive).Select(i => new MemberSnapshot($"a-{i}", ZoneKind.Client, MemberState.Active, Now.AddHours(-2), true, readings)),
                .. Enumerable.Range(0, inactive).Select(i => new MemberSnapshot($"i-{i}", ZoneKind.Provider, MemberState.Inactive, Now.AddHours(-2), true, [])),
            ];

            var decision = PoolPolicyEngine.Decide(new PoolSnapshot("pool", policy, members, Now.AddHours(-3)), at);

            // A reading lands on the breach's start only when it falls on a poll; otherwise the hold counts from the first reading after it.
            var firstBreachReading = readings.FirstOrDefault(r => r.At >= breachStart).At;
            if (policy.MinActive < policy.MaxActive && at - firstBreachReading >= TimeSpan.FromSeconds(policy.ActivateAfterSeconds))
            {
                Assert.Equal(Math.Min(policy.Step, Math.Min(policy.MaxActive - policy.MinActive, inactive)), decision.Changes.Count(ch => ch.To == MemberState.Activating));
                Interlocked.Increment(ref checkedBreaches);
            }
        }, iter: Iterations);

        // Pools with no room above their minimum, and breaches that did not yet span a whole hold of readings, check nothing.
        Assert.True(checkedBreaches >= Iterations / 4, $"only {checkedBreaches} of {Iterations} breaches were checked");
    }

    /// <summary>
    /// Runs the engine every tick for <paramref name="duration"/> against a pool whose every active member reads
    /// <paramref name="load"/>(seconds since start); answers come back by the next tick. Returns the changes made for load.
    /// </summary>
    private static int Simulate(PoolPolicy policy, int memberCount, TimeSpan duration, Func<int, double> load)
    {
        var start = Now;
        var states = Enumerable.Range(0, memberCount).Select(i => i < policy.MinActive ? MemberState.Active : MemberState.Inactive).ToArray();
        var readings = new List<MetricPoint>();
        DateTimeOffset? lastChange = null;
        var loadChanges = 0;
        for (var t = 0; t <= duration.TotalSeconds; t += 10)
        {
            readings.Add(new MetricPoint(start.AddSeconds(t), load(t)));
            if (t % TickSeconds != 0)
            {
                continue;
            }

            var now = start.AddSeconds(t);
            var window = readings.ToArray();
            var members = states.Select((s, i) => new MemberSnapshot($"m-{i}", ZoneKind.Client, s, now.AddSeconds(-1), true, s == MemberState.Active ? window : [])).ToList();
            var decision = PoolPolicyEngine.Decide(new PoolSnapshot("pool", policy, members, lastChange), now);
            foreach (var change in decision.Changes)
            {
                var index = int.Parse(change.MemberId[2..], System.Globalization.CultureInfo.InvariantCulture);
                states[index] = change.To == MemberState.Activating ? MemberState.Active : MemberState.Inactive;
                loadChanges += change.Reason.StartsWith("load ", StringComparison.Ordinal) ? 1 : 0;
                lastChange = now;
            }
        }

        return loadChanges;
    }

    private static MetricPoint[] Steady(double value, int seconds) =>
        [.. Enumerable.Range(0, seconds / 10 + 1).Select(i => new MetricPoint(Now.AddSeconds(-seconds + i * 10), value))];
}

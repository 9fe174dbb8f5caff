using CsCheck;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Tests;

/// <summary>
/// The engine with schedule windows, over generated pools and instants: it never acts past the bounds in force (worked
/// out here from the clock, not by <see cref="PoolSchedule"/>), and a window's floor is met at the first tick of it,
/// a measured lead (the slowest member's last activation added to the lead) included.
/// </summary>
public sealed class PoolSchedulePropertyTests
{
    private const int Iterations = 2_000;
    private const int TickSeconds = 30;
    private static readonly DateTimeOffset Hour = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// An hourly window starting at minute 0, in UTC, with bounds that may be above or below the policy's, and a lead
    /// fixed or measured.
    /// </summary>
    private static readonly Gen<(PoolPolicy Policy, int Members)> Policies =
        from min in Gen.Int[1, 3]
        from extra in Gen.Int[0, 3]
        from windowMin in Gen.Int[1, 6]
        from windowExtra in Gen.Int[0, 3]
        from duration in Gen.Int[1, 50]
        from lead in Gen.Int[0, 600]
        from measured in Gen.Bool
        from members in Gen.Int[Math.Max(min + extra, windowMin + windowExtra), 10]
        select (new PoolPolicy("load", 100, 60, 40, 60, 0, min, min + extra, 1, MemberPreference.ClientFirst, 10, 120,
            Schedule: [new PoolWindow("busy", "0 * * * *", "UTC", duration, windowMin, windowMin + windowExtra, lead, measured)]), members);

    /// <summary>Each member's last measured activation in seconds, or null (never measured).</summary>
    private static Gen<int?[]> Activations(int members) => Gen.Int[-1, 1200].Select(s => s < 0 ? (int?)null : s).Array[members];

    /// <summary>The lead as the docs state it: the window's own, plus the slowest measured activation when measured, at most an hour.</summary>
    private static int LeadOf(PoolWindow window, int?[] activations) =>
        window.MeasuredLead ? Math.Min(3600, window.LeadSeconds + (activations.Max() ?? 0)) : window.LeadSeconds;

    [Fact]
    public void Decide_AnyInstant_NeverActsPastTheBoundsInForce_AndMeetsTheirMinimumWhenItCan()
    {
        var inForce = 0;
        var gen =
            from p in Policies
            from states in Gen.Enum<MemberState>().Array[p.Members]
            from reachable in Gen.Int[0, 9].Select(i => i > 0).Array[p.Members]
            from activations in Activations(p.Members)
            from second in Gen.Int[0, 3599]
            select (p.Policy, States: states, Reachable: reachable, Activations: activations, Now: Hour.AddSeconds(second));
        gen.Sample(c =>
        {
            var window = c.Policy.Schedule![0];
            var secondOfHour = (int)(c.Now - Hour).TotalSeconds;
            var windowInForce = secondOfHour < window.DurationMinutes * 60 || secondOfHour >= 3600 - LeadOf(window, c.Activations);
            var (min, max) = windowInForce ? (window.MinActive!.Value, window.MaxActive!.Value) : (c.Policy.MinActive, c.Policy.MaxActive);
            var members = c.States.Select((state, i) => new MemberSnapshot(
                $"m-{i}", ZoneKind.Client, state, c.Now, c.Reachable[i], [new MetricPoint(c.Now, 70)], ActivationSeconds: c.Activations[i])).ToList();
            var decision = PoolPolicyEngine.Decide(new PoolSnapshot("pool", c.Policy, members, null), c.Now);

            var before = members.Count(m => m.Reachable && m.State is MemberState.Active or MemberState.Activating);
            var activated = decision.Changes.Count(ch => ch.To == MemberState.Activating);
            var deactivated = decision.Changes.Count(ch => ch.To == MemberState.Deactivating);
            var after = before + activated - deactivated;
            var eligible = members.Count(m => m.Reachable && m.State == MemberState.Inactive);
            Assert.True(activated == 0 || after <= max, $"{decision.Reason}: {after} active, bounds {min}-{max}");
            Assert.True(deactivated == 0 || after >= min, $"{decision.Reason}: {after} active, bounds {min}-{max}");
            Assert.True(after >= Math.Min(min, before + eligible), $"{decision.Reason}: {after} active, bounds {min}-{max}");
            Assert.True(after <= Math.Max(max, before), $"{decision.Reason}: {after} active, bounds {min}-{max}");
            if (windowInForce)
            {
                Interlocked.Increment(ref inForce);
            }
        }, iter: Iterations);

        // Both sides of the window must have been sampled for the property to say anything about it.
        Assert.InRange(inForce, Iterations / 20, Iterations - (Iterations / 20));
    }

    [Fact]
    public void Decide_FirstTickOfAWindow_ActivatesUpToItsFloor()
    {
        var gen =
            from p in Policies
            from activations in Activations(p.Members)
            from phase in Gen.Int[0, TickSeconds - 1]
            select (p.Policy, p.Members, Activations: activations, Phase: phase);
        gen.Sample(c =>
        {
            var window = c.Policy.Schedule![0];
            var floor = Math.Max(window.MinActive!.Value, c.Policy.MinActive);
            var policy = c.Policy with { MinActive = 1, MaxActive = Math.Max(c.Policy.MaxActive, window.MaxActive!.Value), Schedule = [window with { MinActive = floor, MaxActive = Math.Max(window.MaxActive!.Value, floor) }] };

            // Ticks every 30 s at a random phase; the first one at or after the window takes effect (its start less the lead).
            var effective = Hour.AddHours(1).AddSeconds(-LeadOf(window, c.Activations));
            var tick = Hour.AddSeconds(c.Phase);
            while (tick < effective)
            {
                tick = tick.AddSeconds(TickSeconds);
            }

            var members = Enumerable.Range(0, c.Members).Select(i => new MemberSnapshot(
                $"m-{i}", ZoneKind.Client, i == 0 ? MemberState.Active : MemberState.Inactive, Hour, true, [new MetricPoint(tick, 70)], ActivationSeconds: c.Activations[i])).ToList();
            var decision = PoolPolicyEngine.Decide(new PoolSnapshot("pool", policy, members, null), tick);

            Assert.True(decision.Changes.Count(ch => ch.To == MemberState.Activating) == floor - 1, $"{decision.Reason} at {tick:O}, floor {floor}");
        }, iter: Iterations);
    }
}

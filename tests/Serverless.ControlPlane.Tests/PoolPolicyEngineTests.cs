using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Tests;

/// <summary>The policy engine, case by case: bounds, holds, cooldown, flight, timeouts, reachability, staleness.</summary>
public sealed class PoolPolicyEngineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static readonly PoolPolicy Policy = new(
        "connections.active", ActivateAbove: 100, ActivateAfterSeconds: 60, DeactivateBelow: 40, DeactivateAfterSeconds: 120,
        CooldownSeconds: 90, MinActive: 2, MaxActive: 4, Step: 1, MemberPreference.ClientFirst, MetricsIntervalSeconds: 10, ActionTimeoutSeconds: 120);

    [Fact]
    public void Decide_BelowMinimum_ActivatesReachableClientMembersFirst_EvenInCooldown()
    {
        var pool = Pool(
            [
                Member("p-1", ZoneKind.Provider, MemberState.Inactive),
                Member("c-1", ZoneKind.Client, MemberState.Active, Load(Steady(50))),
                Member("c-2", ZoneKind.Client, MemberState.Inactive, reachable: false),
                Member("c-3", ZoneKind.Client, MemberState.Inactive),
            ],
            lastChange: Now.AddSeconds(-5));

        var decision = PoolPolicyEngine.Decide(pool, Now);

        Assert.Equal(["c-3→activating"], Describe(decision));
        Assert.Contains("below the minimum of 2", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AboveMaximum_DeactivatesProviderMembersFirst()
    {
        var pool = Pool(
        [
            .. Enumerable.Range(1, 3).Select(i => Member($"c-{i}", ZoneKind.Client, MemberState.Active, Load(Steady(50)))),
            .. Enumerable.Range(1, 3).Select(i => Member($"p-{i}", ZoneKind.Provider, MemberState.Active, Load(Steady(50)))),
        ]);

        Assert.Equal(["p-3→deactivating", "p-2→deactivating"], Describe(PoolPolicyEngine.Decide(pool, Now)));
    }

    [Theory]
    [InlineData(59, false)]
    [InlineData(60, true)]
    [InlineData(300, true)]
    public void Decide_LoadAboveThreshold_ActsOnlyOnceHeldForItsDuration(int heldSeconds, bool acts)
    {
        var window = Load(Steady(80, from: -600, to: -heldSeconds - 10), Steady(150, from: -heldSeconds, to: 0));
        var pool = Pool([Member("c-1", ZoneKind.Client, MemberState.Active, window), Member("c-2", ZoneKind.Client, MemberState.Active, window), Member("p-1", ZoneKind.Provider, MemberState.Inactive)]);

        var decision = PoolPolicyEngine.Decide(pool, Now);

        Assert.Equal(acts ? ["p-1→activating"] : [], Describe(decision));
        Assert.Equal(150, decision.Load);
    }

    [Fact]
    public void Decide_BreachBrokenByOneReading_StartsTheHoldAgain()
    {
        var window = Load(Steady(150, from: -300, to: -40), [(-30, 90)], Steady(150, from: -20, to: 0));
        var pool = Pool([Member("c-1", ZoneKind.Client, MemberState.Active, window), Member("c-2", ZoneKind.Client, MemberState.Active, window), Member("p-1", ZoneKind.Provider, MemberState.Inactive)]);

        var decision = PoolPolicyEngine.Decide(pool, Now);

        Assert.Empty(decision.Changes);
        Assert.Contains("no change", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_LoadIsTheMeanOverActiveMembers()
    {
        var pool = Pool([Member("c-1", ZoneKind.Client, MemberState.Active, Load(Steady(150))), Member("c-2", ZoneKind.Client, MemberState.Active, Load(Steady(60))), Member("p-1", ZoneKind.Provider, MemberState.Inactive)]);

        var decision = PoolPolicyEngine.Decide(pool, Now);

        Assert.Equal(105, decision.Load);
        Assert.Equal(["p-1→activating"], Describe(decision));
    }

    [Fact]
    public void Decide_HeldBreachInCooldownOrWithAChangeInFlight_WaitsSayingWhy()
    {
        var hot = Load(Steady(150));
        MemberSnapshot[] members = [Member("c-1", ZoneKind.Client, MemberState.Active, hot), Member("c-2", ZoneKind.Client, MemberState.Active, hot), Member("p-1", ZoneKind.Provider, MemberState.Inactive)];

        var cooling = PoolPolicyEngine.Decide(Pool(members, lastChange: Now.AddSeconds(-89)), Now);
        var inFlight = PoolPolicyEngine.Decide(Pool([.. members, Member("p-2", ZoneKind.Provider, MemberState.Activating, since: Now.AddSeconds(-30))]), Now);
        var cooled = PoolPolicyEngine.Decide(Pool(members, lastChange: Now.AddSeconds(-90)), Now);

        Assert.Empty(cooling.Changes);
        Assert.StartsWith("cooling down until", cooling.Reason, StringComparison.Ordinal);
        Assert.Empty(inFlight.Changes);
        Assert.Equal("waiting for 1 change(s) in flight", inFlight.Reason);
        Assert.Equal(["p-1→activating"], Describe(cooled));
    }

    [Fact]
    public void Decide_LowLoadHeld_DeactivatesAStepButNeverBelowTheMinimum()
    {
        var cold = Load(Steady(10));
        var three = Pool([Member("c-1", ZoneKind.Client, MemberState.Active, cold), Member("c-2", ZoneKind.Client, MemberState.Active, cold), Member("p-1", ZoneKind.Provider, MemberState.Active, cold)]);
        var two = Pool([Member("c-1", ZoneKind.Client, MemberState.Active, cold), Member("c-2", ZoneKind.Client, MemberState.Active, cold), Member("p-1", ZoneKind.Provider, MemberState.Inactive)]);

        Assert.Equal(["p-1→deactivating"], Describe(PoolPolicyEngine.Decide(three, Now)));
        Assert.Empty(PoolPolicyEngine.Decide(two, Now).Changes);
    }

    [Fact]
    public void Decide_ActivationUnansweredPastTheTimeout_MarksUnhealthyAndPicksAnotherAtOnce()
    {
        var pool = Pool([
            Member("c-1", ZoneKind.Client, MemberState.Active, Load(Steady(50))),
            Member("c-2", ZoneKind.Client, MemberState.Activating, since: Now.AddSeconds(-121)),
            Member("p-1", ZoneKind.Provider, MemberState.Inactive),
        ]);

        var decision = PoolPolicyEngine.Decide(pool, Now);

        Assert.Equal(["c-2→unhealthy", "p-1→activating"], Describe(decision));
        Assert.Equal("its activation was not confirmed within 120 s", decision.Changes[0].Reason);
    }

    [Fact]
    public void Decide_UnhealthyMember_IsChosenAgainOnlyAfterItsRetryTime()
    {
        MemberSnapshot[] members =
        [
            Member("c-1", ZoneKind.Client, MemberState.Active, Load(Steady(50))),
            Member("c-2", ZoneKind.Client, MemberState.Unhealthy, since: Now.AddSeconds(-599)),
        ];

        var early = PoolPolicyEngine.Decide(Pool(members), Now);
        var later = PoolPolicyEngine.Decide(Pool(members), Now.AddSeconds(1));

        Assert.Empty(early.Changes);
        Assert.Contains("no reachable inactive member is left", early.Reason, StringComparison.Ordinal);
        Assert.Equal(["c-2→activating"], Describe(later));
        Assert.Equal(MemberState.Unhealthy, later.Changes[0].From);
    }

    [Fact]
    public void Decide_AgentOfActiveMembersDisconnected_TheyDoNotCountAndTheOtherZoneMeetsTheMinimum()
    {
        var pool = Pool([
            Member("c-1", ZoneKind.Client, MemberState.Active, Load(Steady(50)), reachable: false),
            Member("c-2", ZoneKind.Client, MemberState.Active, Load(Steady(50)), reachable: false),
            Member("p-1", ZoneKind.Provider, MemberState.Inactive),
            Member("p-2", ZoneKind.Provider, MemberState.Inactive),
        ]);

        Assert.Equal(["p-1→activating", "p-2→activating"], Describe(PoolPolicyEngine.Decide(pool, Now)));
    }

    [Fact]
    public void Decide_ReadingsOlderThanThreePolls_AreNoCurrentLoad()
    {
        var stale = Load(Steady(500, from: -600, to: -31));
        var pool = Pool([Member("c-1", ZoneKind.Client, MemberState.Active, stale), Member("c-2", ZoneKind.Client, MemberState.Active, stale), Member("p-1", ZoneKind.Provider, MemberState.Inactive)]);

        var decision = PoolPolicyEngine.Decide(pool, Now);

        Assert.Empty(decision.Changes);
        Assert.Equal("no current reading of 'connections.active' from the active members", decision.Reason);
    }

    [Fact]
    public void Decide_AtMaximumWithAHeldBreach_ChangesNothingAndSaysSo()
    {
        var hot = Load(Steady(150));
        var pool = Pool([.. Enumerable.Range(1, 4).Select(i => Member($"c-{i}", ZoneKind.Client, MemberState.Active, hot)), Member("p-1", ZoneKind.Provider, MemberState.Inactive)]);

        var decision = PoolPolicyEngine.Decide(pool, Now);

        Assert.Empty(decision.Changes);
        Assert.Contains("at its maximum of 4", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MemberPreference.ClientFirst, "c-1")]
    [InlineData(MemberPreference.ProviderFirst, "p-1")]
    [InlineData(MemberPreference.Listed, "p-1")]
    public void Decide_Preference_DecidesWhichMemberComesFirst(MemberPreference preference, string first)
    {
        var pool = Pool([Member("p-1", ZoneKind.Provider, MemberState.Inactive), Member("c-1", ZoneKind.Client, MemberState.Inactive)]) with
        {
            Policy = Policy with { MinActive = 1, Preference = preference },
        };

        Assert.Equal([$"{first}→activating"], Describe(PoolPolicyEngine.Decide(pool, Now)));
    }

    internal static PoolSnapshot Pool(IReadOnlyList<MemberSnapshot> members, DateTimeOffset? lastChange = null) => new("pool-1", Policy, members, lastChange);

    internal static MemberSnapshot Member(string id, ZoneKind zone, MemberState state, IReadOnlyList<MetricPoint>? window = null, bool reachable = true, DateTimeOffset? since = null) =>
        new(id, zone, state, since ?? Now.AddHours(-1), reachable, window ?? []);

    /// <summary>Readings every 10 s from <paramref name="from"/> to <paramref name="to"/> seconds relative to now.</summary>
    private static IEnumerable<(int Seconds, double Value)> Steady(double value, int from = -600, int to = 0)
    {
        for (var s = from; s <= to; s += 10)
        {
            yield return (s, value);
        }
    }

    private static MetricPoint[] Load(params IEnumerable<(int Seconds, double Value)>[] parts) =>
        [.. parts.SelectMany(p => p).Select(p => new MetricPoint(Now.AddSeconds(p.Seconds), p.Value))];

    private static List<string> Describe(PoolDecision decision) =>
        [.. decision.Changes.Select(c => $"{c.MemberId}→{c.To.ToString().ToLowerInvariant()}")];
}

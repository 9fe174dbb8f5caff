using CsCheck;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Tests;

/// <summary>
/// Budget caps in the engine, over generated pools under a load held high: its own activations for load never take
/// the running cost past the hourly budget nor the month's projection past the monthly one, and the minimum is met
/// whatever the budget says. And the spend record's arithmetic across a month's end.
/// </summary>
public sealed class PoolBudgetTests
{
    private const int Iterations = 2_000;
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Budgets drawn around what the running members already cost, so that many samples sit at the budget's edge.</summary>
    private static readonly Gen<(PoolSnapshot Pool, double Rate)> Pools =
        from count in Gen.Int[2, 10]
        from costs in Gen.Int[0, 4].Select(c => c * 0.5).Array[count]
        from states in Gen.OneOf(Gen.Const(MemberState.Active), Gen.Const(MemberState.Inactive)).Array[count]
        from min in Gen.Int[1, 3]
        from hourMargin in Gen.Double[-1, 2].SelectMany(v => Gen.Int[0, 9].Select(k => k < 3 ? (double?)null : v))
        from monthMargin in Gen.Double[-200, 1500].SelectMany(v => Gen.Int[0, 9].Select(k => k < 3 ? (double?)null : v))
        from spent in Gen.Double[0, 2500]
        from step in Gen.Int[1, 3]
        let members = Enumerable.Range(0, count).Select(i => new MemberSnapshot(
            $"m-{i}", ZoneKind.Provider, states[i], Now.AddSeconds(-60), true, Enumerable.Range(0, 13).Select(r => new MetricPoint(Now.AddSeconds(-10 * r), 500)).ToArray(), costs[i])).ToList()
        let rate = members.Where(m => m.State is MemberState.Active or MemberState.Activating).Sum(m => m.CostPerHour)
        let spend = new PoolSpend(spent, rate, Now.AddHours(-2))
        let budget = new PoolBudget(
            hourMargin is { } h ? Math.Max(0, rate + h) : null,
            monthMargin is { } m ? Math.Max(0, spend.ProjectedForMonth(Now, rate) + m) : null)
        let policy = new PoolPolicy("load", 100, 60, 40, 60, 0, Math.Min(min, count), count, step, MemberPreference.Listed, Budget: budget)
        select (new PoolSnapshot("pool", policy, members, Now.AddHours(-1), spend), rate);

    [Fact]
    public void Decide_LoadHeldHigh_NeverActivatesPastTheBudget_ButAlwaysMeetsTheMinimum()
    {
        var held = 0;
        Pools.Sample(c =>
        {
            var decision = PoolPolicyEngine.Decide(c.Pool, Now);
            var activated = decision.Changes.Where(ch => ch.To == MemberState.Activating).Select(ch => c.Pool.Members.Single(m => m.MemberId == ch.MemberId)).ToList();
            var rateAfter = c.Rate + activated.Sum(m => m.CostPerHour);
            var counted = c.Pool.Members.Count(m => m.State is MemberState.Active or MemberState.Activating);
            var budget = c.Pool.Policy.Budget!;
            if (counted < c.Pool.Policy.MinActive)
            {
                Assert.Equal(c.Pool.Policy.MinActive - counted, activated.Count);
                return;
            }

            Assert.True(budget.PerHour is not { } perHour || activated.Count == 0 || rateAfter <= perHour + 1e-9, $"{decision.Reason}: {rateAfter}/h");
            Assert.True(budget.PerMonth is not { } perMonth || activated.Count == 0 || c.Pool.Spend!.ProjectedForMonth(Now, rateAfter) <= perMonth + 1e-9, decision.Reason);
            if (decision.HeldByBudget)
            {
                Assert.Contains("not activated: budget: ", decision.Reason, StringComparison.Ordinal);
                Interlocked.Increment(ref held);
            }
        }, iter: Iterations);

        // The budget must have held some activations back for the property to have been tested at its edge.
        Assert.True(held >= Iterations / 10, $"the budget held back only {held} of {Iterations} samples");
    }

    [Fact]
    public void Spend_AccruesAtTheRateInForce_AndStartsAgainWithTheMonth()
    {
        var accrued = new PoolSpend(10, 2, new DateTimeOffset(2026, 11, 30, 22, 0, 0, TimeSpan.Zero));

        Assert.Equal(13, accrued.SpentAt(new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero)), 9);
        Assert.Equal(3, accrued.SpentAt(new DateTimeOffset(2026, 12, 1, 1, 30, 0, TimeSpan.Zero)), 9);
        Assert.Equal(13 + 4 * 0.5, accrued.Accrue(new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero), 4).ProjectedForMonth(new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero), 4), 9);
    }
}

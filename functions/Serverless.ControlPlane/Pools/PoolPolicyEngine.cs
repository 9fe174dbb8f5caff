using System.Globalization;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Pools;

/// <summary>
/// Decides, for one pool at one instant, which members to activate or deactivate. Pure and deterministic: the same
/// snapshot and time give the same decision, so it is tested as a table and as properties, and any number of
/// evaluators agree. In order:
/// <list type="number">
/// <item>an activation or deactivation unanswered for <see cref="PoolPolicy.ActionTimeoutSeconds"/> makes its member Unhealthy;</item>
/// <item>the bounds hold in every state: below <see cref="PoolPolicy.MinActive"/> activates, above <see cref="PoolPolicy.MaxActive"/> deactivates, cooldown or not
/// (a <see cref="PoolPolicy.Schedule"/> window in force replaces them: <see cref="PoolSchedule"/>);</item>
/// <item>otherwise nothing while a change is in flight or the cooldown runs;</item>
/// <item>otherwise the load (mean of the metric over reachable active members, as a step function of their readings)
/// held above the activation threshold for its duration activates a step, held below the deactivation threshold
/// deactivates one. The gap between the thresholds and the hold times keep a load oscillating around either
/// threshold from flapping.</item>
/// </list>
/// Members count as active when Active or Activating and their agent group is connected; only members of connected
/// groups are chosen. A load activation passes over members the <see cref="PoolPolicy.Budget"/> cannot pay for (and
/// says so); activations for the minimum do not. Activation follows the preference order; deactivation its reverse.
/// </summary>
public static class PoolPolicyEngine
{
    /// <summary>The slowest member's last measured activation (0 when none was measured): a measured lead's share.</summary>
    public static int MeasuredActivationSeconds(IEnumerable<MemberSnapshot> members) => members.Max(m => m.ActivationSeconds) ?? 0;

    public static PoolDecision Decide(PoolSnapshot pool, DateTimeOffset now)
    {
        var policy = pool.Policy;
        var bounds = PoolSchedule.BoundsAt(policy, now, MeasuredActivationSeconds(pool.Members));
        var changes = new List<MemberChange>();
        var timeout = TimeSpan.FromSeconds(policy.ActionTimeoutSeconds);
        var timedOut = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in pool.Members)
        {
            if (member.State is MemberState.Activating or MemberState.Deactivating && now - member.StateSince >= timeout)
            {
                timedOut.Add(member.MemberId);
                var doing = member.State == MemberState.Activating ? "activation" : "deactivation";
                changes.Add(new MemberChange(member.MemberId, member.State, MemberState.Unhealthy, $"its {doing} was not confirmed within {policy.ActionTimeoutSeconds} s"));
            }
        }

        var ordered = PreferenceOrder(pool.Members, policy.Preference);
        var counted = ordered.Count(m => m.Reachable && !timedOut.Contains(m.MemberId) && m.State is MemberState.Active or MemberState.Activating);
        var inFlight = pool.Members.Count(m => !timedOut.Contains(m.MemberId) && m.State is MemberState.Activating or MemberState.Deactivating);

        if (counted < bounds.MinActive)
        {
            var chosen = Activate(ordered, bounds.MinActive - counted, changes, $"the pool has {counted} active, below its minimum of {bounds.MinActive}{bounds.Source}", policy, now);
            return Decision(pool, changes, null, chosen == 0
                ? $"{counted} active, below the minimum of {bounds.MinActive}{bounds.Source}, and no reachable inactive member is left to activate"
                : $"{counted} active, below the minimum of {bounds.MinActive}{bounds.Source}: activating {chosen}");
        }

        if (counted > bounds.MaxActive)
        {
            var chosen = Deactivate(ordered, counted - bounds.MaxActive, changes, $"the pool has {counted} active, above its maximum of {bounds.MaxActive}{bounds.Source}");
            return Decision(pool, changes, null, $"{counted} active, above the maximum of {bounds.MaxActive}{bounds.Source}: deactivating {chosen}");
        }

        if (inFlight > 0)
        {
            return Decision(pool, changes, null, $"waiting for {inFlight} change(s) in flight");
        }

        if (pool.LastChangeAt is { } last && now < last.AddSeconds(policy.CooldownSeconds))
        {
            return Decision(pool, changes, null, $"cooling down until {last.AddSeconds(policy.CooldownSeconds):O}");
        }

        var active = ordered.Where(m => m.Reachable && m.State == MemberState.Active).ToList();
        var load = PoolLoad.From(active);
        if (load.Latest is not { } current || now - load.LatestAt > policy.StaleAfter)
        {
            return Decision(pool, changes, null, $"no current reading of '{policy.Metric}' from the active members");
        }

        var high = load.HeldSince(v => v > policy.ActivateAbove);
        if (high is { } highSince && now - highSince >= TimeSpan.FromSeconds(policy.ActivateAfterSeconds))
        {
            if (counted >= bounds.MaxActive)
            {
                return Decision(pool, changes, current, $"load {Format(current)} above {Format(policy.ActivateAbove)} since {highSince:O}, but the pool is at its maximum of {bounds.MaxActive}{bounds.Source}");
            }

            var reason = $"load {Format(current)} above {Format(policy.ActivateAbove)} since {highSince:O} (held {policy.ActivateAfterSeconds} s)";
            var budget = new BudgetGate(pool, timedOut, now);
            var chosen = Activate(ordered, Math.Min(policy.Step, bounds.MaxActive - counted), changes, reason, policy, now, budget);
            return budget.Refusal is { } refusal && chosen < Math.Min(policy.Step, bounds.MaxActive - counted)
                ? new PoolDecision(pool.PoolId, changes, current, $"{reason}{(chosen > 0 ? $": activating {chosen}" : string.Empty)}, but not activated: budget: {refusal}", true)
                : Decision(pool, changes, current, chosen == 0 ? $"{reason}, but no reachable inactive member is left to activate" : $"{reason}: activating {chosen}");
        }

        var low = load.HeldSince(v => v < policy.DeactivateBelow);
        if (low is { } lowSince && now - lowSince >= TimeSpan.FromSeconds(policy.DeactivateAfterSeconds) && counted > bounds.MinActive)
        {
            var reason = $"load {Format(current)} below {Format(policy.DeactivateBelow)} since {lowSince:O} (held {policy.DeactivateAfterSeconds} s)";
            var chosen = Deactivate(ordered, Math.Min(policy.Step, counted - bounds.MinActive), changes, reason);
            return Decision(pool, changes, current, $"{reason}: deactivating {chosen}");
        }

        return Decision(pool, changes, current, $"load {Format(current)} with {counted} active: no change");
    }

    /// <summary>The members in the order the pool activates them; it deactivates in the reverse order.</summary>
    public static List<MemberSnapshot> PreferenceOrder(IReadOnlyList<MemberSnapshot> members, MemberPreference preference) => preference switch
    {
        MemberPreference.ClientFirst => [.. members.OrderBy(m => m.ZoneKind == ZoneKind.Client ? 0 : 1)],
        MemberPreference.ProviderFirst => [.. members.OrderBy(m => m.ZoneKind == ZoneKind.Provider ? 0 : 1)],
        _ => [.. members],
    };

    /// <summary>
    /// Chooses inactive members in preference order, and unhealthy ones whose failure is older than
    /// <see cref="PoolPolicy.UnhealthyRetrySeconds"/>: a member that failed once gets another chance later, not at once.
    /// </summary>
    private static int Activate(List<MemberSnapshot> ordered, int wanted, List<MemberChange> changes, string reason, PoolPolicy policy, DateTimeOffset now, BudgetGate? budget = null)
    {
        var chosen = 0;
        foreach (var member in ordered)
        {
            if (chosen == wanted)
            {
                break;
            }

            var retried = member.State == MemberState.Unhealthy && now - member.StateSince >= TimeSpan.FromSeconds(policy.UnhealthyRetrySeconds)
                && !changes.Any(c => c.MemberId == member.MemberId);
            if (member.Reachable && (member.State == MemberState.Inactive || retried) && budget?.Admits(member) != false)
            {
                changes.Add(new MemberChange(member.MemberId, member.State, MemberState.Activating, reason));
                chosen++;
            }
        }

        return chosen;
    }

    private static int Deactivate(List<MemberSnapshot> ordered, int wanted, List<MemberChange> changes, string reason)
    {
        var chosen = 0;
        for (var i = ordered.Count - 1; i >= 0 && chosen < wanted; i--)
        {
            var member = ordered[i];
            if (member.Reachable && member.State == MemberState.Active)
            {
                changes.Add(new MemberChange(member.MemberId, MemberState.Active, MemberState.Deactivating, reason));
                chosen++;
            }
        }

        return chosen;
    }

    /// <summary>
    /// Admits members while the running members' cost stays within the policy's budget: per hour, and for the month as
    /// spent so far plus the running cost until the month ends. Remembers the first refusal, with its figures.
    /// </summary>
    private sealed class BudgetGate(PoolSnapshot pool, HashSet<string> timedOut, DateTimeOffset now)
    {
        private double _rate = pool.Members
            .Where(m => !timedOut.Contains(m.MemberId) && m.State is MemberState.Active or MemberState.Activating or MemberState.Deactivating)
            .Sum(m => m.CostPerHour);

        public string? Refusal { get; private set; }

        public bool Admits(MemberSnapshot member)
        {
            var budget = pool.Policy.Budget;
            var rate = _rate + member.CostPerHour;
            var spend = pool.Spend ?? PoolSpend.None;
            var refusal = budget?.PerHour is { } perHour && rate > perHour
                ? $"{member.MemberId} would take the running cost to {Format(rate)}/h, above the hourly budget of {Format(perHour)}"
                : budget?.PerMonth is { } perMonth && spend.ProjectedForMonth(now, rate) is var projected && projected > perMonth
                    ? $"{member.MemberId} would take the month to {Format(projected)} ({Format(spend.SpentAt(now))} spent, {Format(rate)}/h until its end), above the monthly budget of {Format(perMonth)}"
                    : null;
            if (refusal is not null)
            {
                Refusal ??= refusal;
                return false;
            }

            _rate = rate;
            return true;
        }
    }

    private static PoolDecision Decision(PoolSnapshot pool, List<MemberChange> changes, double? load, string reason) => new(pool.PoolId, changes, load, reason);

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

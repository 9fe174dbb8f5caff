using System.Globalization;

namespace Serverless.ControlPlane.Pools;

/// <summary>
/// The evaluator's copy of a member's readings of the pool's metric: a ring of <see cref="Slots"/> slots of <see cref="SlotSeconds"/>
/// each, sized from the policy so it holds the tick's lookback, which the uplink writes into as readings arrive and a
/// tick reads with the member's state (the full history stays in the metric store for the API). A slot is half a
/// metrics interval wide, so two readings an interval apart never share one, however the agent's polls are phased;
/// each slot keeps its reading's exact time, so a reader needs no geometry and stale slots are skipped by time.
/// </summary>
public readonly record struct PoolWindowRing(string Metric, int SlotSeconds, int Slots)
{
    /// <summary>The most slots a ring has: one table row holds at most 252 properties, and a tick reads every slot.</summary>
    public const int MaxSlots = 128;

    /// <summary>How far back a tick looks: the longer hold and three intervals, so the reading before the hold began is there.</summary>
    public static TimeSpan Lookback(PoolPolicy policy) =>
        TimeSpan.FromSeconds(Math.Max(policy.ActivateAfterSeconds, policy.DeactivateAfterSeconds) + 3 * policy.MetricsIntervalSeconds);

    public static PoolWindowRing For(PoolPolicy policy)
    {
        var lookback = (int)Lookback(policy).TotalSeconds;
        var width = Math.Max(Math.Max(1, policy.MetricsIntervalSeconds / 2), (int)Math.Ceiling(lookback / (double)(MaxSlots - 2)));
        return new PoolWindowRing(policy.Metric, width, Math.Min(MaxSlots, (int)Math.Ceiling(lookback / (double)width) + 2));
    }

    /// <summary>The property a reading taken at <paramref name="at"/> goes into.</summary>
    public string SlotOf(DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"s{at.ToUnixTimeSeconds() / SlotSeconds % Slots}");

    /// <summary>A slot's value: the reading's time in ticks and its value, so the reading comes back exactly.</summary>
    public static string Encode(MetricPoint point) =>
        string.Create(CultureInfo.InvariantCulture, $"{point.At.UtcTicks}:{point.Value:R}");

    public static bool TryDecode(string? slot, out MetricPoint point)
    {
        point = default;
        var colon = slot?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0
            || !long.TryParse(slot.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !double.TryParse(slot.AsSpan(colon + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        point = new MetricPoint(new DateTimeOffset(ticks, TimeSpan.Zero), value);
        return true;
    }

    /// <summary>The geometry, kept on the ring's row so a policy change that alters it can find the rows to drop.</summary>
    public string Geometry => string.Create(CultureInfo.InvariantCulture, $"{SlotSeconds}x{Slots}");
}

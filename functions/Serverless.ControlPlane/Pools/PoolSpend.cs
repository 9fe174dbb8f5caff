namespace Serverless.ControlPlane.Pools;

/// <summary>
/// A pool's spend this calendar month (UTC), kept without a write per tick: <see cref="Spent"/> accrued up to
/// <see cref="AccruedAt"/>, and the <see cref="RatePerHour"/> of the members running since then. It is accrued again
/// only when the running members change.
/// </summary>
public sealed record PoolSpend(double Spent, double RatePerHour, DateTimeOffset AccruedAt)
{
    public static readonly PoolSpend None = new(0, 0, DateTimeOffset.MinValue);

    /// <summary>Spent this month up to <paramref name="now"/>; an accrual of an earlier month counts only its rate since the month began.</summary>
    public double SpentAt(DateTimeOffset now)
    {
        var monthStart = MonthStart(now);
        return AccruedAt >= monthStart
            ? Spent + (RatePerHour * (now - AccruedAt).TotalHours)
            : RatePerHour * (now - monthStart).TotalHours;
    }

    /// <summary>The spend at <paramref name="now"/>, from when on <paramref name="ratePerHour"/> applies.</summary>
    public PoolSpend Accrue(DateTimeOffset now, double ratePerHour) => new(SpentAt(now), ratePerHour, now);

    /// <summary>What the month will have cost if <paramref name="ratePerHour"/> runs from now to its end.</summary>
    public double ProjectedForMonth(DateTimeOffset now, double ratePerHour) =>
        SpentAt(now) + (ratePerHour * (MonthStart(now).AddMonths(1) - now).TotalHours);

    public static DateTimeOffset MonthStart(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }
}

namespace Serverless.ControlPlane.Pools;

/// <summary>
/// What a pool may spend on its members' activity, in the unit of the members' <see cref="PoolMember.CostPerHour"/>:
/// per hour (the running members' costs added up) and per calendar month (UTC; spent so far plus the running
/// members' cost until the month ends). Either may be absent. The engine activates nothing for load or a window's
/// ceiling that would go past either; the minimum in force still wins.
/// </summary>
public sealed record PoolBudget(double? PerHour, double? PerMonth);

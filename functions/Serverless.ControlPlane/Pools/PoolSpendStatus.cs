namespace Serverless.ControlPlane.Pools;

/// <summary>
/// A pool's spend as the API shows it: this calendar month so far (UTC), the running members' cost per hour, what the
/// month comes to if they run to its end, and whether the budget is holding back an activation the load asks for.
/// </summary>
public sealed record PoolSpendStatus(double SpentThisMonth, double RatePerHour, double ProjectedForMonth, bool HeldByBudget, PoolBudget? Budget);

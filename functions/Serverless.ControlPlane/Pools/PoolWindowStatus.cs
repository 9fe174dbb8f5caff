namespace Serverless.ControlPlane.Pools;

/// <summary>
/// Where a window stands at one instant: in force or not, and the occurrence in force or next to come — when it takes
/// effect (its start less the lead), starts and ends — and the lead in seconds (a measured lead as measured now).
/// Null times: the expression fires no more.
/// </summary>
public sealed record PoolWindowStatus(string Name, bool InForce, DateTimeOffset? EffectiveAt, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, int LeadSeconds);

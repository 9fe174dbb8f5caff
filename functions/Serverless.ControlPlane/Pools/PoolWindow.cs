namespace Serverless.ControlPlane.Pools;

/// <summary>
/// A scheduled window of a pool's policy: each time <see cref="Cron"/> fires in <see cref="TimeZone"/> (IANA), for
/// <see cref="DurationMinutes"/>, the bounds it gives replace the policy's; the reactive rules act within them.
/// <see cref="LeadSeconds"/> puts the window in force that much before each start, so members activated for its floor
/// are running when it starts; with <see cref="MeasuredLead"/> the slowest member's last measured activation is added
/// to it (<see cref="PoolSchedule.LeadOf"/>).
/// </summary>
public sealed record PoolWindow(string Name, string Cron, string TimeZone, int DurationMinutes, int? MinActive, int? MaxActive, int LeadSeconds = 0, bool MeasuredLead = false);

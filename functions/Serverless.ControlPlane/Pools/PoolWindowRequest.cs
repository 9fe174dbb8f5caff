namespace Serverless.ControlPlane.Pools;

/// <summary>A schedule window as a client sends it; see <see cref="PoolWindow"/>.</summary>
public sealed record PoolWindowRequest(
    string? Name,
    string? Cron,
    string? TimeZone,
    int? DurationMinutes,
    int? MinActive = null,
    int? MaxActive = null,
    int? LeadSeconds = null,
    bool? MeasuredLead = null);

using System.Globalization;
using Serverless.Contracts.Commands;

namespace Serverless.ControlPlane.Instances;

/// <summary>
/// How a reconcile's <c>instance.list</c> names its waiter: no orchestration, an event name that says which host and when
/// it was asked, so the answer changes only records that have not moved since.
/// </summary>
public static class HostReportCorrelation
{
    private const string Prefix = "host-report:";

    public static CommandCorrelation For(string hostId, DateTimeOffset askedAt) =>
        new(null, $"{Prefix}{askedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{hostId}");

    public static bool TryParse(CommandCorrelation correlation, out string hostId, out DateTimeOffset askedAt)
    {
        hostId = string.Empty;
        askedAt = default;
        if (correlation.InstanceId is not null || correlation.EventName is not { } name || !name.StartsWith(Prefix, StringComparison.Ordinal)
            || name[Prefix.Length..].Split(':', 2) is not [var ticks, { Length: > 0 } host]
            || !long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var utcTicks) || utcTicks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        (hostId, askedAt) = (host, new DateTimeOffset(utcTicks, TimeSpan.Zero));
        return true;
    }
}

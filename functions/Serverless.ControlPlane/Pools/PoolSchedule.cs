using System.Collections.Concurrent;
using System.Globalization;
using Cronos;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Pools;

/// <summary>
/// The schedule windows of a pool's policy: which bounds are in force at an instant, when each window fires next, and
/// the validation that refuses windows that cannot be met or that overlap. Pure: cron expressions are evaluated with
/// Cronos in the window's IANA time zone, so a window at 08:00 stays at 08:00 local time across daylight-saving changes
/// (a start in a skipped hour moves to the end of the gap; a start in a repeated hour fires once).
/// </summary>
public static class PoolSchedule
{
    public const int MaxWindows = 16;

    public const int MaxDurationMinutes = 10_080;

    public const int MaxLeadSeconds = 3_600;

    /// <summary>How far ahead windows are checked for overlaps, and how many starts of one window at most.</summary>
    private static readonly TimeSpan OverlapHorizon = TimeSpan.FromDays(366);

    private const int MaxStartsChecked = 20_000;

    private static readonly ConcurrentDictionary<(string Cron, string TimeZone), (CronExpression Expression, TimeZoneInfo Zone)> Parsed = new();

    /// <summary>
    /// The bounds in force at <paramref name="now"/>: the window in force, or the policy's own.
    /// <paramref name="measuredActivationSeconds"/> is the slowest member's last measured activation, for windows whose
    /// lead is measured.
    /// </summary>
    public static PoolBounds BoundsAt(PoolPolicy policy, DateTimeOffset now, int measuredActivationSeconds = 0)
    {
        foreach (var window in policy.Schedule ?? [])
        {
            if (Occurrence(window, now, measuredActivationSeconds) is { } occurrence && occurrence.Effective <= now)
            {
                return new PoolBounds(window.MinActive ?? policy.MinActive, window.MaxActive ?? policy.MaxActive, window);
            }
        }

        return new PoolBounds(policy.MinActive, policy.MaxActive, null);
    }

    /// <summary>Each window's occurrence in force or next to come.</summary>
    public static IReadOnlyList<PoolWindowStatus> StatusAt(PoolPolicy policy, DateTimeOffset now, int measuredActivationSeconds = 0) =>
        [.. (policy.Schedule ?? []).Select(window => Occurrence(window, now, measuredActivationSeconds) is { } o
            ? new PoolWindowStatus(window.Name, o.Effective <= now, o.Effective, o.Start, o.Start.AddMinutes(window.DurationMinutes), LeadOf(window, measuredActivationSeconds))
            : new PoolWindowStatus(window.Name, false, null, null, null, LeadOf(window, measuredActivationSeconds)))];

    /// <summary>
    /// A window's lead: <see cref="PoolWindow.LeadSeconds"/>, plus, for a measured lead, the slowest member's last
    /// measured activation, at most <see cref="MaxLeadSeconds"/> in all.
    /// </summary>
    public static int LeadOf(PoolWindow window, int measuredActivationSeconds) =>
        window.MeasuredLead ? Math.Min(MaxLeadSeconds, window.LeadSeconds + Math.Max(0, measuredActivationSeconds)) : window.LeadSeconds;

    /// <summary>The lead overlaps are checked with: a measured lead may grow to the most a lead can be.</summary>
    private static int LongestLeadOf(PoolWindow window) => window.MeasuredLead ? MaxLeadSeconds : window.LeadSeconds;

    /// <summary>
    /// Checks the windows at <c>policy.schedule[i]</c> against the policy's own bounds and the member count, and against
    /// each other over the next year: two windows in force at once (their leads included, a measured lead counted as
    /// the longest it may grow to) are refused, naming both and when. Returns the valid windows, or null when none were given.
    /// </summary>
    public static IReadOnlyList<PoolWindow>? Validate(
        IReadOnlyList<PoolWindowRequest?>? requests, int minActive, int maxActive, int memberCount, DateTimeOffset now, List<FieldError> errors)
    {
        if (requests is null)
        {
            return null;
        }

        if (requests.Count > MaxWindows)
        {
            errors.Add(new FieldError("policy.schedule", $"holds {requests.Count} windows; at most {MaxWindows} are allowed."));
            return null;
        }

        var windows = new List<(PoolWindow Window, string Field)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (request, i) in requests.Select((r, i) => (r, i)))
        {
            var field = $"policy.schedule[{i}]";
            if (request is null)
            {
                errors.Add(new FieldError(field, "is required: a window with name, cron, timeZone and durationMinutes."));
                continue;
            }

            var before = errors.Count;
            FieldRules.Name($"{field}.name", request.Name, errors);
            if (request.Name is { } name && !names.Add(name))
            {
                errors.Add(new FieldError($"{field}.name", $"'{name}' names another window of this schedule too."));
            }

            var zone = ParseZone($"{field}.timeZone", request.TimeZone, errors);
            var expression = ParseCron($"{field}.cron", request.Cron, errors);
            Range($"{field}.durationMinutes", request.DurationMinutes, 1, MaxDurationMinutes, errors, required: true);
            Range($"{field}.leadSeconds", request.LeadSeconds, 0, MaxLeadSeconds, errors, required: false);
            Range($"{field}.minActive", request.MinActive, 1, PoolService.MaxMembers, errors, required: false);
            Range($"{field}.maxActive", request.MaxActive, 1, PoolService.MaxMembers, errors, required: false);
            if (request.MinActive is null && request.MaxActive is null)
            {
                errors.Add(new FieldError(field, "sets no bounds: give minActive, maxActive or both."));
            }

            var (min, max) = (request.MinActive ?? minActive, request.MaxActive ?? maxActive);
            if (request.MinActive is not null || request.MaxActive is not null)
            {
                if (max < min)
                {
                    errors.Add(new FieldError(request.MaxActive is null ? $"{field}.minActive" : $"{field}.maxActive",
                        $"leaves the window with maxActive {max} below minActive {min}{(request.MinActive is null || request.MaxActive is null ? " (the other comes from the policy)" : string.Empty)}."));
                }

                if (memberCount > 0 && request.MinActive > memberCount)
                {
                    errors.Add(new FieldError($"{field}.minActive", $"cannot be met: the pool lists {memberCount} member(s)."));
                }

                if (memberCount > 0 && request.MaxActive > memberCount)
                {
                    errors.Add(new FieldError($"{field}.maxActive", $"can never be reached: the pool lists {memberCount} member(s)."));
                }
            }

            if (errors.Count == before && expression is not null && zone is not null)
            {
                Parsed.TryAdd((request.Cron!, request.TimeZone!), (expression, zone));
                windows.Add((new PoolWindow(request.Name!, request.Cron!, request.TimeZone!, request.DurationMinutes!.Value, request.MinActive, request.MaxActive,
                    request.LeadSeconds ?? 0, request.MeasuredLead ?? false), field));
            }
        }

        if (windows.Count == requests.Count)
        {
            RefuseOverlaps(windows, now, errors);
        }

        return [.. windows.Select(w => w.Window)];
    }

    /// <summary>The occurrence of <paramref name="window"/> in force at <paramref name="now"/>, else the next one.</summary>
    private static (DateTimeOffset Start, DateTimeOffset Effective)? Occurrence(PoolWindow window, DateTimeOffset now, int measuredActivationSeconds)
    {
        var lead = LeadOf(window, measuredActivationSeconds);
        var (expression, zone) = Parse(window);

        // The earliest start whose window has not ended: the one in force if any has started, else the next.
        var start = expression.GetNextOccurrence(now.AddMinutes(-window.DurationMinutes), zone, inclusive: false);
        return start is { } s ? (s, s.AddSeconds(-lead)) : null;
    }

    private static void RefuseOverlaps(List<(PoolWindow Window, string Field)> windows, DateTimeOffset now, List<FieldError> errors)
    {
        var horizon = now + OverlapHorizon;
        var spans = new List<(DateTimeOffset From, DateTimeOffset To, int Window)>();
        foreach (var (window, index) in windows.Select((w, i) => (w.Window, i)))
        {
            var (expression, zone) = Parse(window);
            var starts = expression.GetOccurrences(now.AddMinutes(-window.DurationMinutes), horizon, zone, fromInclusive: false).Take(MaxStartsChecked).ToList();
            if (starts.Count == MaxStartsChecked)
            {
                // A window that fires this often is checked over the span its starts cover, for every window alike.
                horizon = starts[^1];
            }

            spans.AddRange(starts.Select(s => (s.AddSeconds(-LongestLeadOf(window)), s.AddMinutes(window.DurationMinutes), index)));
        }

        spans.RemoveAll(s => s.From > horizon);
        spans.Sort((a, b) => a.From.CompareTo(b.From));
        var reported = new HashSet<(int, int)>();
        var latest = spans.Count > 0 ? spans[0] : default;
        foreach (var span in spans.Skip(1))
        {
            // Spans sort by start: one that begins before the latest end so far overlaps the span that ends there.
            if (span.From < latest.To && reported.Add((Math.Min(latest.Window, span.Window), Math.Max(latest.Window, span.Window))))
            {
                var (first, second) = (windows[latest.Window], windows[span.Window]);
                var at = span.From.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                errors.Add(new FieldError(second.Field, latest.Window == span.Window
                    ? $"'{second.Window.Name}' overlaps its own next occurrence at {at}: its duration and lead are longer than the time between its starts{MeasuredNote(second.Window)}."
                    : $"'{second.Window.Name}' overlaps '{first.Window.Name}' ({first.Field}) at {at}: two windows may not be in force at once{MeasuredNote(first.Window, second.Window)}."));
            }

            if (span.To > latest.To)
            {
                latest = span;
            }
        }
    }

    private static string MeasuredNote(params PoolWindow[] windows) =>
        windows.Any(w => w.MeasuredLead) ? $" (a measured lead counts as {MaxLeadSeconds} s, the longest it may grow to)" : string.Empty;

    private static (CronExpression Expression, TimeZoneInfo Zone) Parse(PoolWindow window) =>
        Parsed.GetOrAdd((window.Cron, window.TimeZone), key => (CronExpression.Parse(key.Cron, FormatOf(key.Cron)), TimeZoneInfo.FindSystemTimeZoneById(key.TimeZone)));

    private static CronFormat FormatOf(string cron) =>
        cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;

    private static CronExpression? ParseCron(string field, string? cron, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            errors.Add(new FieldError(field, "is required: a cron expression of five fields (minute hour day month weekday), or six with seconds first."));
            return null;
        }

        try
        {
            return CronExpression.Parse(cron, FormatOf(cron));
        }
        catch (CronFormatException exception)
        {
            errors.Add(new FieldError(field, $"'{cron}' is not a cron expression: {exception.Message}"));
            return null;
        }
    }

    private static TimeZoneInfo? ParseZone(string field, string? timeZone, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            errors.Add(new FieldError(field, "is required: an IANA time zone such as Europe/Berlin or UTC."));
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            errors.Add(new FieldError(field, $"'{timeZone}' is not a known IANA time zone."));
            return null;
        }
    }

    private static void Range(string field, int? value, int min, int max, List<FieldError> errors, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(new FieldError(field, $"is required: {min} to {max}."));
            }
        }
        else if (value < min || value > max)
        {
            errors.Add(new FieldError(field, $"must be {min} to {max}; it is {value}."));
        }
    }
}

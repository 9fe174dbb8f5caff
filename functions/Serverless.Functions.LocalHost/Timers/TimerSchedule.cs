using System.Globalization;
using NCrontab;

namespace Serverless.Functions.LocalHost.Timers;

/// <summary>A timer schedule as Azure Functions reads it: NCRONTAB with six fields (seconds first) or five, or a TimeSpan interval. UTC.</summary>
internal sealed class TimerSchedule
{
    private readonly CrontabSchedule? _cron;
    private readonly TimeSpan? _interval;

    private TimerSchedule(string expression, CrontabSchedule? cron, TimeSpan? interval)
    {
        Expression = expression;
        _cron = cron;
        _interval = interval;
    }

    public string Expression { get; }

    public static TimerSchedule Parse(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is 5 or 6)
        {
            var cron = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 })
                ?? throw new FormatException($"'{expression}' is not a valid NCRONTAB expression.");
            return new TimerSchedule(expression, cron, null);
        }

        if (TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return new TimerSchedule(expression, null, interval);
        }

        throw new FormatException($"'{expression}' is neither an NCRONTAB expression (six fields, seconds first) nor a positive TimeSpan.");
    }

    public DateTime GetNextOccurrence(DateTime afterUtc) =>
        _cron is not null ? _cron.GetNextOccurrence(afterUtc) : afterUtc + _interval!.Value;

    /// <summary>As in Azure, schedules that fire more often than once a minute are not monitored for missed runs.</summary>
    public bool IsFrequent(DateTime nowUtc)
    {
        var first = GetNextOccurrence(nowUtc);
        return GetNextOccurrence(first) - first < TimeSpan.FromMinutes(1);
    }
}

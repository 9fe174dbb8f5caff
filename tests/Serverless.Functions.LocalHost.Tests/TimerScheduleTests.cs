using Serverless.Functions.LocalHost.Timers;

namespace Serverless.Functions.LocalHost.Tests;

public sealed class TimerScheduleTests
{
    private static readonly DateTime Start = new(2026, 11, 25, 10, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("*/2 * * * * *", "2026-11-25T10:00:02")]
    [InlineData("0 0 3 * * *", "2026-11-26T03:00:00")]
    [InlineData("30 9 * * *", "2026-11-25T09:30:00", true)]
    [InlineData("00:00:05", "2026-11-25T10:00:05")]
    public void GetNextOccurrence_Expression_FollowsAzureRules(string expression, string expected, bool fiveFieldsFromEarlier = false)
    {
        var schedule = TimerSchedule.Parse(expression);
        var from = fiveFieldsFromEarlier ? Start.AddHours(-1) : Start;

        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), schedule.GetNextOccurrence(from));
    }

    [Theory]
    [InlineData("every minute")]
    [InlineData("61 * * * * *")]
    [InlineData("-00:00:05")]
    public void Parse_Invalid_ThrowsFormatException(string expression)
    {
        Assert.Throws<FormatException>(() => TimerSchedule.Parse(expression));
    }

    [Theory]
    [InlineData("*/2 * * * * *", true)]
    [InlineData("0 */5 * * * *", false)]
    public void IsFrequent_SubMinuteSchedules_AreNotMonitored(string expression, bool frequent)
    {
        Assert.Equal(frequent, TimerSchedule.Parse(expression).IsFrequent(Start));
    }
}

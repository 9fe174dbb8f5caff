using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Tests;

public sealed class PoolScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static PoolPolicy Policy(params PoolWindow[] windows) =>
        new("load", 100, 60, 40, 60, 0, 1, 2, 1, MemberPreference.ClientFirst, Schedule: windows);

    [Theory]
    [InlineData("Europe/Berlin", "2026-03-28T07:30:00Z", true)]   // CET: 08:30 local
    [InlineData("Europe/Berlin", "2026-03-28T06:30:00Z", false)]
    [InlineData("Europe/Berlin", "2026-03-30T06:30:00Z", true)]   // CEST from the 29th: 08:30 local
    [InlineData("Europe/Berlin", "2026-03-30T07:30:00Z", false)]
    [InlineData("America/New_York", "2026-03-07T13:30:00Z", true)] // EST: 08:30 local
    [InlineData("America/New_York", "2026-03-09T13:30:00Z", false)]
    [InlineData("America/New_York", "2026-03-09T12:30:00Z", true)] // EDT from the 8th: 08:30 local
    public void BoundsAt_AWindowAtEightLocal_FollowsTheLocalClockAcrossTheDaylightSavingChange(string zone, string at, bool inForce)
    {
        var bounds = PoolSchedule.BoundsAt(Policy(new PoolWindow("morning", "0 8 * * *", zone, 60, 4, 5)), DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(inForce ? (4, 5, "morning") : (1, 2, null), (bounds.MinActive, bounds.MaxActive, bounds.Window?.Name));
    }

    [Fact]
    public void StatusAt_AStartInTheSkippedHour_FiresAtTheEndOfTheGap_AndOneInTheRepeatedHourFiresOnce()
    {
        var policy = Policy(new PoolWindow("night", "30 2 * * *", "Europe/Berlin", 10, 2, 2));

        var spring = PoolSchedule.StatusAt(policy, new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero)).Single();
        var autumn = PoolSchedule.StatusAt(policy, new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero)).Single();
        var afterAutumn = PoolSchedule.StatusAt(policy, autumn.EndsAt!.Value).Single();

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), spring.StartsAt!.Value.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), autumn.StartsAt!.Value.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 10, 26, 1, 30, 0, TimeSpan.Zero), afterAutumn.StartsAt!.Value.ToUniversalTime());
    }

    [Fact]
    public void StatusAt_WithALead_IsInForceThatMuchBeforeTheStart_AndShowsWhenItEnds()
    {
        var policy = Policy(new PoolWindow("open", "0 9 * * *", "UTC", 30, 3, 3, LeadSeconds: 120));

        var early = PoolSchedule.StatusAt(policy, new DateTimeOffset(2026, 3, 2, 8, 57, 0, TimeSpan.Zero)).Single();
        var leading = PoolSchedule.StatusAt(policy, new DateTimeOffset(2026, 3, 2, 8, 58, 0, TimeSpan.Zero)).Single();

        Assert.Equal((false, new DateTimeOffset(2026, 3, 2, 8, 58, 0, TimeSpan.Zero)), (early.InForce, early.EffectiveAt!.Value));
        Assert.Equal((true, new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero)), (leading.InForce, leading.EndsAt!.Value));
    }

    [Theory]
    [InlineData(false, 0, 120)]
    [InlineData(true, 0, 120)]
    [InlineData(true, 300, 420)]
    [InlineData(true, 100_000, PoolSchedule.MaxLeadSeconds)]
    public void StatusAt_AMeasuredLead_AddsTheSlowestActivationToTheLead_UpToTheLongestLead(bool measured, int activationSeconds, int lead)
    {
        var policy = Policy(new PoolWindow("open", "0 9 * * *", "UTC", 30, 3, 3, LeadSeconds: 120, MeasuredLead: measured));
        var now = new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

        var status = PoolSchedule.StatusAt(policy, now, measured ? activationSeconds : 300).Single();

        Assert.Equal((lead, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero).AddSeconds(-lead)), (status.LeadSeconds, status.EffectiveAt!.Value));
        Assert.Equal(3, PoolSchedule.BoundsAt(policy, status.EffectiveAt.Value, measured ? activationSeconds : 300).MinActive);
        Assert.Equal(1, PoolSchedule.BoundsAt(policy, status.EffectiveAt.Value.AddSeconds(-1), measured ? activationSeconds : 300).MinActive);
    }

    [Fact]
    public void Validate_AMeasuredLead_IsCheckedForOverlapsAsTheLongestItMayGrowTo()
    {
        // 30 minutes apart: a fixed lead of 10 minutes fits, a measured one might not.
        PoolWindowRequest[] Windows(bool measured) =>
            [new PoolWindowRequest("day", "0 8 * * *", "UTC", 60, 3), new PoolWindowRequest("late", "30 9 * * *", "UTC", 60, 3, LeadSeconds: 600, MeasuredLead: measured)];
        var fixedLead = new List<FieldError>();
        var measuredLead = new List<FieldError>();

        PoolSchedule.Validate(Windows(false), 1, 4, 5, Now, fixedLead);
        PoolSchedule.Validate(Windows(true), 1, 4, 5, Now, measuredLead);

        Assert.Empty(fixedLead);
        var error = Assert.Single(measuredLead);
        Assert.Equal("policy.schedule[1]", error.Field);
        Assert.Contains("'late' overlaps 'day' (policy.schedule[0])", error.Message, StringComparison.Ordinal);
        Assert.Contains("a measured lead counts as 3600 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OverlappingWindows_AreRefusedNamingBoth_TouchingOnesAreNot()
    {
        var errors = new List<FieldError>();
        PoolSchedule.Validate(
            [new PoolWindowRequest("day", "0 8 * * 1-5", "Europe/Berlin", 600, 3), new PoolWindowRequest("evening", "0 17 * * *", "Europe/Berlin", 120, MaxActive: 1)],
            1, 4, 5, Now, errors);
        var touching = new List<FieldError>();
        PoolSchedule.Validate(
            [new PoolWindowRequest("day", "0 8 * * *", "UTC", 600, 3), new PoolWindowRequest("evening", "0 18 * * *", "UTC", 120, MaxActive: 1)],
            1, 4, 5, Now, touching);

        var error = Assert.Single(errors);
        Assert.Equal("policy.schedule[1]", error.Field);
        Assert.Contains("'evening' overlaps 'day' (policy.schedule[0]) at 2026-03-02T16:00:00Z", error.Message, StringComparison.Ordinal);
        Assert.Empty(touching);
    }

    [Theory]
    [InlineData("* * * * *", "UTC", 5, 0, "policy.schedule[0]", "overlaps its own next occurrence")]
    [InlineData("0 8 * * *", "UTC", 60, 0, null, null)]
    [InlineData("0 8 * *", "UTC", 60, 0, "policy.schedule[0].cron", "is not a cron expression")]
    [InlineData("0 8 * * *", "Mars/Olympus", 60, 0, "policy.schedule[0].timeZone", "not a known IANA time zone")]
    [InlineData("0 8 * * *", "UTC", 0, 0, "policy.schedule[0].durationMinutes", "must be 1 to 10080")]
    [InlineData("0 8 * * *", "UTC", 60, 9, "policy.schedule[0].minActive", "cannot be met: the pool lists 5")]
    public void Validate_OneWindow_NamesTheFieldItRefuses(string cron, string zone, int duration, int minActive, string? field, string? message)
    {
        var errors = new List<FieldError>();
        var windows = PoolSchedule.Validate([new PoolWindowRequest("w", cron, zone, duration, minActive == 0 ? 3 : minActive)], 1, 4, 5, Now, errors);

        if (field is null)
        {
            Assert.Empty(errors);
            Assert.Equal("w", Assert.Single(windows!).Name);
        }
        else
        {
            Assert.Contains(errors, e => e.Field == field && e.Message.Contains(message!, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_AWindowCeilingBelowThePolicysFloor_SaysWhereTheOtherBoundComesFrom()
    {
        var errors = new List<FieldError>();
        PoolSchedule.Validate([new PoolWindowRequest("night", "0 22 * * *", "UTC", 480, MaxActive: 1)], 2, 4, 5, Now, errors);

        var error = Assert.Single(errors);
        Assert.Equal(("policy.schedule[0].maxActive", "leaves the window with maxActive 1 below minActive 2 (the other comes from the policy)."), (error.Field, error.Message));
    }
}

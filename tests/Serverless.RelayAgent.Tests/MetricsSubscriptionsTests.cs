using Microsoft.Extensions.Time.Testing;
using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Snmp;

namespace Serverless.RelayAgent.Tests;

/// <summary>
/// What the metrics worker sleeps on: the next subscription due (to poll or to lapse) and a signal when subscriptions
/// change, so an agent with nothing to poll never wakes for it and a new subscription is polled at once.
/// </summary>
public sealed class MetricsSubscriptionsTests
{
    private static readonly MemberMetrics.Plan Plan = new(null!, []);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void NothingSubscribed_IsNeverDue()
    {
        var subscriptions = new MetricsSubscriptions(_clock);

        Assert.Null(subscriptions.NextDueAt);
        Assert.Empty(subscriptions.TakeDue());
    }

    [Fact]
    public void ANewSubscription_SignalsTheChange_AndIsDueAtOnce_ThenEveryInterval()
    {
        var subscriptions = new MetricsSubscriptions(_clock);
        var changed = subscriptions.Changed;

        subscriptions.Put("pool-1", Plan, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5));

        Assert.True(changed.IsCompletedSuccessfully);
        Assert.False(subscriptions.Changed.IsCompleted);
        Assert.Equal(_clock.GetUtcNow(), subscriptions.NextDueAt);
        Assert.Equal(["pool-1"], subscriptions.TakeDue().Select(s => s.Id));
        Assert.Equal(_clock.GetUtcNow().AddSeconds(30), subscriptions.NextDueAt);
        Assert.Empty(subscriptions.TakeDue());
    }

    [Fact]
    public void ALapsingSubscription_IsDueWhenItLapses_AndRemovalSignals()
    {
        var subscriptions = new MetricsSubscriptions(_clock);
        subscriptions.Put("pool-1", Plan, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(40));
        subscriptions.TakeDue();
        _clock.Advance(TimeSpan.FromSeconds(30));
        subscriptions.TakeDue();

        Assert.Equal(_clock.GetUtcNow().AddSeconds(10), subscriptions.NextDueAt);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(subscriptions.TakeDue());
        Assert.Null(subscriptions.NextDueAt);

        subscriptions.Put("pool-2", Plan, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5));
        var changed = subscriptions.Changed;
        Assert.True(subscriptions.Remove("pool-2"));
        Assert.True(changed.IsCompletedSuccessfully);
        Assert.Null(subscriptions.NextDueAt);
    }
}

namespace Serverless.Functions.LocalHost.Tests;

/// <summary>The durable visibility timeouts: too short an orchestration timeout stalls orchestrations, so it is refused.</summary>
public sealed class LocalHostOptionsTests
{
    [Fact]
    public void VisibilityTimeouts_ActivitiesTakeTheOrchestrationsTimeout_WhenUnset()
    {
        var options = new LocalHostOptions { VisibilityTimeout = TimeSpan.FromSeconds(12) };

        Assert.Equal((TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(12)), options.VisibilityTimeouts());
    }

    [Fact]
    public void VisibilityTimeouts_ActivitiesMayBeShorter_ForCrashTests()
    {
        var options = new LocalHostOptions { VisibilityTimeout = TimeSpan.FromSeconds(10), ActivityVisibilityTimeout = TimeSpan.FromSeconds(2) };

        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)), options.VisibilityTimeouts());
    }

    [Fact]
    public void VisibilityTimeouts_UnderTheDurableWorkersRenewal_AreRefusedWithTheReason()
    {
        var options = new LocalHostOptions { VisibilityTimeout = TimeSpan.FromSeconds(9) };

        var error = Assert.Throws<InvalidOperationException>(() => options.VisibilityTimeouts());

        Assert.Contains("LocalHost__VisibilityTimeout is 00:00:09; it must be at least 00:00:10", error.Message, StringComparison.Ordinal);
        Assert.Contains("LocalHost__ActivityVisibilityTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VisibilityTimeouts_AnActivityTimeoutUnderASecond_IsRefused()
    {
        var options = new LocalHostOptions { ActivityVisibilityTimeout = TimeSpan.FromMilliseconds(500) };

        var error = Assert.Throws<InvalidOperationException>(() => options.VisibilityTimeouts());

        Assert.StartsWith("LocalHost__ActivityVisibilityTimeout is 00:00:00.5000000; it must be at least 1 s", error.Message, StringComparison.Ordinal);
    }
}

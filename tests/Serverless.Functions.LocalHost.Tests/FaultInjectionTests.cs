using Serverless.Functions.LocalHost.Durable;

namespace Serverless.Functions.LocalHost.Tests;

/// <summary>The crash tests' kill switch: it fires once, at the occurrence it names, and refuses what it cannot honour.</summary>
public sealed class FaultInjectionTests
{
    private readonly List<string> _kills = [];

    [Fact]
    public void Unset_IsOff_AndNeverKills()
    {
        var faults = Create(new Dictionary<string, string?> { ["KillAfterEvent"] = "" });

        faults.BeforeActivity("A");
        faults.OrchestrationEpisode("O", eventsReceived: 5, timersFired: 5, timersCreated: 5);

        Assert.Equal((false, false), (faults.Enabled, faults.OnOrchestrations));
        Assert.Empty(_kills);
    }

    [Fact]
    public void ActivityFaults_KillAtTheNthRunOfThatActivity_Once()
    {
        var faults = Create(new Dictionary<string, string?> { ["KillBeforeActivity"] = "Send#2", ["KillAfterActivity"] = "Record#1" });

        faults.BeforeActivity("Record");
        faults.BeforeActivity("Send");
        Assert.Empty(_kills);
        faults.BeforeActivity("Send");
        faults.BeforeActivity("Send");
        faults.AfterActivity("Record");
        faults.AfterActivity("Record");

        Assert.Equal(["KillBeforeActivity Send#2", "KillAfterActivity Record#1"], _kills);
        Assert.False(faults.OnOrchestrations);
    }

    [Fact]
    public void EpisodeFaults_CountOnlyTheirOwnKindAndOrchestration()
    {
        var faults = Create(new Dictionary<string, string?>
        {
            ["KillAfterEvent"] = "Launch#2",
            ["KillBeforeTimer"] = "Launch#1",
            ["KillAfterTimer"] = "Launch#3",
        });

        faults.OrchestrationEpisode("Other", eventsReceived: 4, timersFired: 4, timersCreated: 4);
        faults.OrchestrationEpisode("Launch", eventsReceived: 1, timersFired: 2, timersCreated: 0);
        Assert.Empty(_kills);
        faults.OrchestrationEpisode("Launch", eventsReceived: 0, timersFired: 0, timersCreated: 1);
        faults.OrchestrationEpisode("Launch", eventsReceived: 0, timersFired: 1, timersCreated: 1);
        faults.OrchestrationEpisode("Launch", eventsReceived: 1, timersFired: 1, timersCreated: 0);

        Assert.Equal(["KillBeforeTimer Launch#1", "KillAfterTimer Launch#3", "KillAfterEvent Launch#2"], _kills);
        Assert.True(faults.OnOrchestrations);
    }

    [Fact]
    public void AnEpisodeThatReceivesSeveralEvents_KillsWhenItPassesTheOccurrence()
    {
        var faults = Create(new Dictionary<string, string?> { ["KillAfterEvent"] = "Batch#3" });

        faults.OrchestrationEpisode("Batch", eventsReceived: 2, timersFired: 0, timersCreated: 0);
        faults.OrchestrationEpisode("Batch", eventsReceived: 5, timersFired: 0, timersCreated: 0);
        faults.OrchestrationEpisode("Batch", eventsReceived: 5, timersFired: 0, timersCreated: 0);

        Assert.Equal(["KillAfterEvent Batch#3"], _kills);
    }

    [Theory]
    [InlineData("KillAfterEvent", "Launch", "KillAfterEvent must be {orchestration}#{n} with n ≥ 1")]
    [InlineData("KillBeforeTimer", "Launch#0", "KillBeforeTimer must be {orchestration}#{n} with n ≥ 1")]
    [InlineData("KillAfterActivity", "#2", "KillAfterActivity must be {activity}#{n} with n ≥ 1")]
    [InlineData("DelayActivity", "Tick@0", "DelayActivity must be {activity}@{seconds} with seconds > 0")]
    [InlineData("KillAfterEvents", "Launch#1", "LocalHost:FaultInjection has no setting KillAfterEvents; it knows KillBeforeActivity")]
    public void BadSettings_AreRefused_NamingTheSetting(string setting, string value, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Create(new Dictionary<string, string?> { [setting] = value }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutsideDevelopment_AnyFault_IsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new FaultInjection(new Dictionary<string, string?> { ["KillAfterTimer"] = "Launch#1" }, development: false, _kills.Add));

        Assert.Contains("refused outside the Development environment", error.Message, StringComparison.Ordinal);
    }

    private FaultInjection Create(Dictionary<string, string?> settings) => new(settings, development: true, _kills.Add);
}

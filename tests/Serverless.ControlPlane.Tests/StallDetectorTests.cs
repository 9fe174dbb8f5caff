using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Operations;

namespace Serverless.ControlPlane.Tests;

public sealed class StallDetectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Threshold = TimeSpan.FromMinutes(2);

    private static OperationStall? Check(OperationStatus status, DateTimeOffset now, Func<string, DateTimeOffset?> heard, params OperationCommand[] commands) =>
        StallDetector.Check(status, Start, commands, heard, now, Threshold);

    [Fact]
    public void WaitingOnASilentGroup_NamesTheGroupTheCommandAndWhenItWasLastHeard()
    {
        var ping = new OperationCommand("agent.ping", "dc-1", Start.AddSeconds(10), Start.AddMinutes(10), null);

        var stall = Check(OperationStatus.Running, Start.AddMinutes(5).AddSeconds(10), _ => Start, ping);

        Assert.NotNull(stall);
        Assert.Equal(Start.AddSeconds(10), stall.Since);
        Assert.Equal("no progress for 5 min: waiting on agent group dc-1 for agent.ping (sent 5 min ago), last heard 5 min ago", stall.Reason);
    }

    [Fact]
    public void ACommandInFlightToAGroupHeardLately_WithinItsDeadline_IsWorkNotAStall()
    {
        var upload = new OperationCommand("instance.upload", "dc-1", Start, Start.AddMinutes(30), null);

        Assert.Null(Check(OperationStatus.Running, Start.AddMinutes(10), _ => Start.AddMinutes(10).AddSeconds(-3), upload));
    }

    [Fact]
    public void ACommandPastItsDeadline_IsAStallEvenWhenTheGroupIsHeard()
    {
        var define = new OperationCommand("instance.define", "cloud-1", Start, Start.AddMinutes(1), null);

        var stall = Check(OperationStatus.Running, Start.AddMinutes(4), _ => Start.AddMinutes(4), define);

        Assert.Equal("no progress for 4 min: waiting on agent group cloud-1 for instance.define (sent 4 min ago, past its deadline by 3 min), last heard 0 s ago", stall?.Reason);
    }

    [Fact]
    public void AGroupNeverHeard_SaysSo()
    {
        var ping = new OperationCommand("agent.ping", "dc-9", Start, Start.AddHours(1), null);

        Assert.EndsWith("never heard from", Check(OperationStatus.Running, Start.AddMinutes(3), _ => null, ping)?.Reason);
    }

    [Fact]
    public void ProgressIsTheLatestSendOrAnswer_NotTheOperationsStart()
    {
        var answered = new OperationCommand("snmp.set", "dc-1", Start, Start.AddMinutes(1), Start.AddMinutes(9));

        Assert.Null(Check(OperationStatus.Running, Start.AddMinutes(10), _ => null, answered));
        var stall = Check(OperationStatus.Running, Start.AddMinutes(12), _ => null, answered);
        Assert.Equal(Start.AddMinutes(9), stall?.Since);
        Assert.Equal("no progress for 3 min and no command in flight since snmp.set was answered 3 min ago: the workflow is waiting on a timer or on the durable backend", stall?.Reason);
    }

    [Fact]
    public void TheLatestUnansweredCommandIsTheOneWaitedOn()
    {
        var older = new OperationCommand("instance.define", "dc-1", Start, Start.AddHours(1), null);
        var newer = new OperationCommand("snmp.get", "lb-zone", Start.AddSeconds(30), Start.AddHours(1), null);

        Assert.Contains("agent group lb-zone for snmp.get", Check(OperationStatus.Running, Start.AddMinutes(3), _ => null, older, newer)?.Reason);
    }

    [Fact]
    public void NoCommandAtAll_AndPending_AndFinished()
    {
        Assert.Equal(
            "no progress for 2 min and no command sent: the workflow is waiting on a timer or on the durable backend",
            Check(OperationStatus.Running, Start.AddMinutes(2), _ => null)?.Reason);
        Assert.Null(Check(OperationStatus.Running, Start.AddMinutes(2).AddSeconds(-1), _ => null));
        Assert.Equal(
            "pending for 3 min: the durable backend has not started it (is the Functions app running?)",
            Check(OperationStatus.Pending, Start.AddMinutes(3), _ => null)?.Reason);
        Assert.Null(Check(OperationStatus.Pending, Start.AddMinutes(1), _ => null));
        foreach (var finished in new[] { OperationStatus.Succeeded, OperationStatus.Failed, OperationStatus.Canceled })
        {
            Assert.Null(Check(finished, Start.AddDays(1), _ => null));
        }
    }

    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(59, "59 s")]
    [InlineData(60, "1 min")]
    [InlineData(3599, "59 min")]
    [InlineData(3600, "1 h")]
    [InlineData(3900, "1 h 5 min")]
    [InlineData(90000, "1 d 1 h")]
    [InlineData(-5, "0 s")]
    public void Words_TwoLargestUnits(int seconds, string words) =>
        Assert.Equal(words, StallDetector.Words(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public async Task Service_ReadsTheOperationsAndItsChildrensCommands_TheirAnswers_AndTheGroup()
    {
        var log = new CommandRecorder();
        var groups = new InMemoryAgentStores();
        var clock = new ManualClock(Start);
        var service = new OperationStallService(log, log, groups, Options.Create(new OperationOptions()), clock);
        await log.RecordAsync(new CommandRecord("t1", "c1", "instance.define", "dc-1", "dc-1", Start, Start.AddMinutes(1), "t1.child", "e1", "t1.stack"), CancellationToken.None);
        await log.RecordAsync(new CommandRecord("t1", "c2", "instance.start", "dc-1", "dc-1", Start.AddSeconds(20), Start.AddMinutes(30), "t1.child", "e2", "t1.stack"), CancellationToken.None);
        await log.RecordAsync(new CommandRecord("t1", "c3", "agent.ping", "dc-2", "dc-2", Start.AddSeconds(50), Start.AddMinutes(30), "t1.other", "e3"), CancellationToken.None);
        log.Results["c1"] = new CommandResult(SchemaVersions.Current, "c1", "t1", "dc-1", "a1", "instance.define", CommandStatus.Succeeded, null, null,
            new CommandTimings(Start, Start, Start.AddSeconds(15)), new CommandCorrelation("t1.child", "e1"), null);
        await groups.UpsertAsync(new AgentGroupConnectivity("t1", "dc-1", AgentGroupStatus.Connected, Start.AddSeconds(25), Start), CancellationToken.None);

        clock.Now = Start.AddMinutes(1);
        Assert.Null(await service.CheckAsync("t1", "t1.stack", OperationStatus.Running, Start, CancellationToken.None));

        clock.Now = Start.AddMinutes(4);
        var stall = await service.CheckAsync("t1", "t1.stack", OperationStatus.Running, Start, CancellationToken.None);
        Assert.Equal(Start.AddSeconds(20), stall?.Since);
        Assert.Equal("no progress for 3 min: waiting on agent group dc-1 for instance.start (sent 3 min ago), last heard 3 min ago", stall?.Reason);
        Assert.Null(await service.CheckAsync("t1", "t1.stack", OperationStatus.Succeeded, Start, CancellationToken.None));
    }
}

using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.RelayAgent.Execution;

namespace Serverless.RelayAgent.Tests;

public sealed class CommandLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 19, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Started_and_completed_entries_survive_the_session_state_round_trip()
    {
        var ledger = CommandLedger.Load(null);
        var started = Command("a", Now.AddMinutes(1));
        var finished = Command("b", Now.AddMinutes(1));
        ledger.MarkStarted(started, Now);
        ledger.MarkCompleted(finished, Now, Result(finished));

        var reloaded = CommandLedger.Load(ledger.ToBinary(Now));

        Assert.Null(reloaded.Find("a")!.Result);
        Assert.Equal(CommandStatus.Succeeded, reloaded.Find("b")!.Result!.Status);
        Assert.Equal("""{"ok":true}""", reloaded.Find("b")!.Result!.Output!.Value.GetRawText());
        Assert.Null(reloaded.Find("c"));
    }

    [Fact]
    public void Entries_leave_ten_minutes_after_their_deadline_and_the_ledger_stays_bounded()
    {
        var ledger = CommandLedger.Load(null);
        ledger.MarkStarted(Command("old", Now.AddMinutes(-11)), Now.AddMinutes(-12));
        for (var i = 0; i < CommandLedger.MaxEntries + 10; i++)
        {
            ledger.MarkStarted(Command($"k{i}", Now.AddMinutes(5)), Now.AddSeconds(i));
        }

        var reloaded = CommandLedger.Load(ledger.ToBinary(Now));

        Assert.Equal(CommandLedger.MaxEntries, reloaded.Count);
        Assert.Null(reloaded.Find("old"));
        Assert.Null(reloaded.Find("k0"));
        Assert.NotNull(reloaded.Find($"k{CommandLedger.MaxEntries + 9}"));
    }

    [Fact]
    public void A_reported_result_is_kept_as_its_status_alone_and_the_ledger_of_taken_results_stays_far_below_the_message_limit()
    {
        var ledger = CommandLedger.Load(null);
        var output = JsonDocument.Parse($$"""{"state":"shutOff","volume":"{{new string('v', 400)}}"}""").RootElement;
        for (var i = 0; i < CommandLedger.MaxEntries; i++)
        {
            var command = Command($"{i:D32}", Now.AddMinutes(5));
            ledger.MarkStarted(command, Now);
            ledger.MarkCompleted(command, Now, Result(command) with { Output = output });
        }

        var whole = ledger.ToBinary(Now).ToMemory().Length;
        for (var i = 0; i < CommandLedger.MaxEntries; i++)
        {
            ledger.MarkReported($"{i:D32}");
        }

        var reloaded = CommandLedger.Load(ledger.ToBinary(Now));
        var compact = ledger.ToBinary(Now).ToMemory().Length;

        Assert.Null(reloaded.Find($"{7:D32}")!.Result);
        Assert.Equal(CommandStatus.Succeeded, reloaded.Find($"{7:D32}")!.ReportedStatus);
        Assert.True(whole > 256 * 1024, $"{whole} bytes with every result kept");
        Assert.True(compact < 100 * 1024, $"{compact} bytes once reported");
    }

    [Fact]
    public void Only_a_finished_entry_can_be_marked_reported_so_a_running_one_stays_running()
    {
        var ledger = CommandLedger.Load(null);
        ledger.MarkStarted(Command("running", Now.AddMinutes(1)), Now);

        ledger.MarkReported("running");
        ledger.MarkReported("unknown");

        var reloaded = CommandLedger.Load(ledger.ToBinary(Now));
        Assert.Equal((null, null), (reloaded.Find("running")!.Result, reloaded.Find("running")!.ReportedStatus));
        Assert.Null(reloaded.Find("unknown"));
    }

    [Fact]
    public void A_ledger_of_an_unknown_format_is_refused_rather_than_misread()
    {
        var state = BinaryData.FromString("""{"version":99,"entries":[]}""");

        Assert.Throws<InvalidDataException>(() => CommandLedger.Load(state));
    }

    private static CommandEnvelope Command(string key, DateTimeOffset deadline) =>
        new(SchemaVersions.Current, key, "contoso", "dc-1", CommandKinds.Ping, JsonDocument.Parse("{}").RootElement, Now, deadline, key,
            new CommandCorrelation(null, null), null);

    private static CommandResult Result(CommandEnvelope command) =>
        new(SchemaVersions.Current, command.CommandId, "contoso", "dc-1", "agent-1", command.Kind, CommandStatus.Succeeded,
            JsonDocument.Parse("""{"ok":true}""").RootElement, null, new CommandTimings(Now, Now, Now), command.Correlation, null);
}

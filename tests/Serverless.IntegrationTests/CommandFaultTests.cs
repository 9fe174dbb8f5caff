using System.Globalization;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>The command channel under faults: an agent killed mid-stream, the local host killed mid-stream.</summary>
[Collection(CommandChannelCollection.Name)]
public sealed class CommandFaultTests(CommandChannelFixture fixture)
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_standby_agent_takes_over_within_a_lock_period_and_every_command_runs_exactly_once()
    {
        const string zone = "failover-zone";
        await using var first = await fixture.StartAgentAsync("agent-first", zone);
        await using var second = await fixture.StartAgentAsync("agent-second", zone);
        using var client = fixture.Host.CreateClient();

        var operations = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            operations.Add(await Api.PingAsync(client, zone));
        }

        await Eventually.TrueAsync(() => first.ExecutedCommandIds().Count + second.ExecutedCommandIds().Count >= 3,
            OperationTimeout,
            "the active agent to execute a few commands");
        var (active, standby) = first.ExecutedCommandIds().Count > 0 ? (first, second) : (second, first);
        Assert.Empty(standby.ExecutedCommandIds());

        await active.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        for (var i = 0; i < 10; i++)
        {
            operations.Add(await Api.PingAsync(client, zone));
        }

        var finished = new List<JsonElement>();
        foreach (var operationId in operations)
        {
            finished.Add(await Api.WaitForOperationAsync(
                client, operationId, o => Api.HasStatus(o, "succeeded") || Api.HasStatus(o, "failed"), OperationTimeout, $"ping {operationId} to finish"));
        }

        var journal = active.ExecutedCommandIds().Concat(standby.ExecutedCommandIds()).ToList();
        Assert.Equal(journal.Count, journal.Distinct().Count());

        // Every command ran exactly once, except one the kill interrupted: it ran at most once, because the kill can
        // land after the ledger says "started" and before the handler runs, and it is then reported, never repeated.
        var interrupted = operations.Zip(finished).Where(pair => Api.HasStatus(pair.Second, "failed")).Select(pair => PingCommandId(pair.First)).ToList();
        Assert.Equal(operations.Select(PingCommandId).Except(interrupted).Order(), journal.Except(interrupted).Order());
        foreach (var operation in finished.Where(o => Api.HasStatus(o, "succeeded")))
        {
            Assert.Contains(operation.GetProperty("result").GetProperty("commandId").GetString(), journal);
        }

        // A command the killed agent had started is reported, not repeated; anything else must succeed.
        Assert.All(finished.Where(o => Api.HasStatus(o, "failed")), o =>
            Assert.Contains("stopped before it finished", o.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal));
        Assert.True(finished.Count(o => Api.HasStatus(o, "failed")) <= 1);

        var takeover = FirstExecutionAt(standby) - killedAt;
        Assert.True(takeover < TimeSpan.FromSeconds(CommandChannelFixture.LockDurationSeconds), $"the standby took {takeover.TotalSeconds:0.0} s to take over");
    }

    [Fact]
    public async Task Commands_in_flight_survive_a_kill_of_the_local_host()
    {
        const string zone = "restart-zone";
        await using var agent = await fixture.StartAgentAsync("agent-restart", zone);
        using var client = fixture.Host.CreateClient();
        var operations = new List<string>();
        // A send activity the killed host had taken runs again only after its queue message's visibility timeout
        // (10 s in this fixture, minutes in Azure); the commands' deadline leaves room for that.
        for (var i = 0; i < 10; i++)
        {
            operations.Add(await Api.PingAsync(client, zone, timeoutSeconds: 90));
        }

        await fixture.Host.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await fixture.Host.StartAgainAsync();

        foreach (var operationId in operations)
        {
            var operation = await Api.WaitForOperationAsync(
                client, operationId, o => Api.HasStatus(o, "succeeded") || Api.HasStatus(o, "failed"), OperationTimeout, $"ping {operationId} to finish");
            Assert.True(Api.HasStatus(operation, "succeeded"), operation.ToString());
        }

        Assert.Equal(operations.Count, agent.ExecutedCommandIds().Distinct().Count());
    }

    // The control plane derives a step's command id from the orchestration instance and the step name.
    private static string PingCommandId(string operationId) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{CommandChannelFixture.TenantId}.{operationId}/ping")))[..32];

    private static DateTimeOffset FirstExecutionAt(RelayAgentProcess agent) =>
        DateTimeOffset.Parse(File.ReadLines(agent.JournalPath).First().Split('\t')[0], CultureInfo.InvariantCulture);
}

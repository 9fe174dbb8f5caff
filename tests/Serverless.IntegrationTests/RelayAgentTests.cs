using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Messaging.ServiceBus;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>The relay agent on its own against the real emulator, watched through a recording uplink.</summary>
[Collection(CommandChannelCollection.Name)]
public sealed class RelayAgentTests(CommandChannelFixture fixture)
{
    private const string Credential = "sa1.0123456789abcdef0123456789abcdef.test-secret";

    [Fact]
    public async Task A_command_sent_a_thousand_times_runs_once_and_every_copy_posted_carries_the_same_result()
    {
        const string group = "duplicates";
        await using var uplink = await RecordingUplink.StartAsync();
        await using var agent = await StartAgentAsync("agent-dup", group, uplink);
        await using var client = new ServiceBusClient(fixture.ServiceBus.ConnectionString);
        await using var sender = client.CreateSender(CommandChannelFixture.QueueName);
        var command = Command(group, CommandKinds.Ping, TimeSpan.FromMinutes(5));
        var body = JsonSerializer.SerializeToUtf8Bytes(command, ContractsJsonContext.Default.CommandEnvelope);

        // Same MessageId: the queue's duplicate detection keeps one.
        for (var i = 0; i < 1000; i += 100)
        {
            await sender.SendMessagesAsync(Enumerable.Range(0, 100).Select(_ => new ServiceBusMessage(body) { MessageId = command.CommandId, SessionId = group }));
        }

        // Distinct messages carrying the same command: the agent's ledger answers them with the recorded result while
        // it is being reported, and only acknowledges those that come after the control plane took it.
        for (var i = 0; i < 1000; i += 100)
        {
            await sender.SendMessagesAsync(Enumerable.Range(i, 100).Select(n => new ServiceBusMessage(body) { MessageId = $"{command.CommandId}-copy-{n}", SessionId = group }));
        }

        // The session runs in order: once the command after the copies is answered, every copy has been handled.
        var after = Command(group, CommandKinds.Ping, TimeSpan.FromMinutes(5));
        await sender.SendMessageAsync(new ServiceBusMessage(JsonSerializer.SerializeToUtf8Bytes(after, ContractsJsonContext.Default.CommandEnvelope))
        {
            MessageId = after.CommandId,
            SessionId = group,
        });
        await Eventually.TrueAsync(() => uplink.Bodies("results").Any(r => r.Contains(after.CommandId, StringComparison.Ordinal)), TimeSpan.FromSeconds(120), "the result of the command after the copies");
        await Task.Delay(500);

        var results = uplink.Bodies("results").Where(r => r.Contains(command.CommandId, StringComparison.Ordinal)).ToList();
        Assert.InRange(results.Count, 1, 1001);
        var first = JsonNode.Parse(results[0]);
        Assert.All(results, r => Assert.True(JsonNode.DeepEquals(first, JsonNode.Parse(r)), r));
        Assert.Equal("succeeded", first!["status"]!.GetValue<string>());
        Assert.Equal([command.CommandId, after.CommandId], agent.ExecutedCommandIds());
        Assert.All(uplink.Posts, p => Assert.Equal($"Bearer {Credential}", p.Authorization));
        Assert.Contains("acknowledged, not posted again", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_keep_running_in_order_while_the_control_plane_holds_their_results_and_each_result_arrives_once_it_answers()
    {
        const string group = "slow-uplink";
        await using var uplink = await RecordingUplink.StartAsync();
        await using var agent = await StartAgentAsync("agent-slow-uplink", group, uplink);
        await using var client = new ServiceBusClient(fixture.ServiceBus.ConnectionString);
        await using var sender = client.CreateSender(CommandChannelFixture.QueueName);
        uplink.HoldResults();
        var commands = Enumerable.Range(0, 5).Select(_ => Command(group, CommandKinds.Ping, TimeSpan.FromMinutes(5))).ToList();
        foreach (var command in commands)
        {
            await sender.SendMessageAsync(new ServiceBusMessage(JsonSerializer.SerializeToUtf8Bytes(command, ContractsJsonContext.Default.CommandEnvelope))
            {
                MessageId = command.CommandId,
                SessionId = group,
            });
        }

        // The first result is still unanswered, yet every command has run, in the queue's order.
        await Eventually.TrueAsync(() => agent.ExecutedCommandIds().Count == commands.Count, TimeSpan.FromSeconds(20), "all five commands executed");
        Assert.Equal(commands.Select(c => c.CommandId), agent.ExecutedCommandIds());
        Assert.Empty(uplink.Bodies("results"));

        uplink.ReleaseResults();
        await Eventually.TrueAsync(() => uplink.Bodies("results").Count >= commands.Count, TimeSpan.FromSeconds(30), "five results");
        await Task.Delay(500);
        var results = uplink.Bodies("results").Select(b => JsonSerializer.Deserialize(b, ContractsJsonContext.Default.CommandResult)!).ToList();
        Assert.Equal(commands.Select(c => c.CommandId).Order(), results.Select(r => r.CommandId).Order());
        Assert.All(results, r => Assert.Equal(CommandStatus.Succeeded, r.Status));
    }

    [Fact]
    public async Task An_expired_command_is_refused_an_unknown_kind_is_unsupported_and_diagnostics_describe_the_agent()
    {
        const string group = "refusals";
        await using var uplink = await RecordingUplink.StartAsync();
        await using var agent = await StartAgentAsync("agent-refuse", group, uplink);
        await using var client = new ServiceBusClient(fixture.ServiceBus.ConnectionString);
        await using var sender = client.CreateSender(CommandChannelFixture.QueueName);
        var expired = Command(group, CommandKinds.Ping, TimeSpan.FromMilliseconds(-1));
        var unknown = Command(group, "firmware.flash", TimeSpan.FromMinutes(1));
        var diagnostics = Command(group, CommandKinds.Diagnostics, TimeSpan.FromMinutes(1));
        foreach (var command in new[] { expired, unknown, diagnostics })
        {
            await sender.SendMessageAsync(new ServiceBusMessage(JsonSerializer.SerializeToUtf8Bytes(command, ContractsJsonContext.Default.CommandEnvelope))
            {
                MessageId = command.CommandId,
                SessionId = group,
            });
        }

        await Eventually.TrueAsync(() => uplink.Bodies("results").Count >= 3, TimeSpan.FromSeconds(30), "three results");
        var results = uplink.Bodies("results").Select(b => JsonSerializer.Deserialize(b, ContractsJsonContext.Default.CommandResult)!).ToDictionary(r => r.CommandId);
        Assert.Equal(CommandStatus.Expired, results[expired.CommandId].Status);
        Assert.Equal(CommandErrorKind.Expired, results[expired.CommandId].Error!.Kind);
        Assert.Equal(CommandStatus.Failed, results[unknown.CommandId].Status);
        Assert.Equal(CommandErrorKind.Unsupported, results[unknown.CommandId].Error!.Kind);
        Assert.Equal(CommandStatus.Succeeded, results[diagnostics.CommandId].Status);
        var output = results[diagnostics.CommandId].Output!.Value;
        Assert.Equal("active", output.GetProperty("role").GetString(), ignoreCase: true);
        Assert.True(output.GetProperty("workingSetBytes").GetInt64() > 0);
        Assert.Equal([unknown.CommandId, diagnostics.CommandId], agent.ExecutedCommandIds());
    }

    [Fact]
    public async Task The_agent_sends_heartbeats_and_stops_cleanly_on_sigterm()
    {
        await using var uplink = await RecordingUplink.StartAsync();
        var agent = await StartAgentAsync("agent-beat", "heartbeats", uplink);
        await Eventually.TrueAsync(() => uplink.Bodies("heartbeats").Count >= 1, TimeSpan.FromSeconds(30), "a heartbeat");
        var heartbeat = JsonSerializer.Deserialize(uplink.Bodies("heartbeats")[0], ContractsJsonContext.Default.AgentHeartbeat)!;
        Assert.Equal("agent-beat", heartbeat.AgentId);
        Assert.Equal("heartbeats", heartbeat.AgentGroup);

        await agent.StopAsync(TimeSpan.FromSeconds(20));
        Assert.True(agent.HasExited);
        Assert.Contains("Relay agent agent-beat stopped", agent.Output, StringComparison.Ordinal);
        await agent.DisposeAsync();
    }

    [Fact]
    public async Task An_agent_with_missing_settings_stops_at_once_and_names_each_of_them()
    {
        var folder = RepositoryPaths.NewScratchFolder("agent-config");
        try
        {
            var config = Path.Combine(folder, "agent.json");
            await File.WriteAllTextAsync(config, "{ \"RelayAgent\": { \"AgentId\": \"Agent One\", \"AgentGroup\": \"dc-1\", \"TenantId\": \"default\" } }");
            await using var agent = ChildProcess.Start("dotnet", [RepositoryPaths.RelayAgentAssembly, "--config", config], new Dictionary<string, string?>(), folder);

            Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(2, agent.ExitCode);
            foreach (var setting in new[] { "AgentId", "ServiceBusConnection", "QueueName", "ControlPlaneUrl", "Credential" })
            {
                Assert.Contains(setting, agent.Output, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("AgentGroup", agent.Output, StringComparison.Ordinal);
        }
        finally
        {
            RepositoryPaths.DeleteScratchFolder(folder);
        }
    }

    private Task<RelayAgentProcess> StartAgentAsync(string agentId, string group, RecordingUplink uplink) =>
        RelayAgentProcess.StartAsync(new RelayAgentSettings(
            agentId, group, CommandChannelFixture.TenantId, fixture.AgentConnectionString, CommandChannelFixture.QueueName, uplink.BaseAddress, Credential));

    private static CommandEnvelope Command(string group, string kind, TimeSpan lifetime)
    {
        var id = Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;
        return new CommandEnvelope(
            SchemaVersions.Current, id, CommandChannelFixture.TenantId, group, kind, JsonDocument.Parse("{}").RootElement,
            now, now + lifetime, id, new CommandCorrelation(null, null), null);
    }
}

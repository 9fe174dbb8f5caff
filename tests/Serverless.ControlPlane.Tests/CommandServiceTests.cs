using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Results;

namespace Serverless.ControlPlane.Tests;

public sealed class CommandServiceTests
{
    private static readonly AgentIdentity Agent = new("contoso", "agent-1", "dc-1", "c1");
    private readonly CommandRecorder _recorder = new();
    private readonly InMemoryAgentStores _agents = new();
    private readonly CommandService _service;

    public CommandServiceTests()
    {
        var connectivity = new ConnectivityService(_agents, _agents, Options.Create(new ConnectivityOptions()), TimeProvider.System);
        _service = new CommandService(_recorder, _recorder, _recorder, connectivity, Options.Create(new CommandChannelOptions()));
    }

    [Fact]
    public async Task Sending_to_a_disconnected_group_fails_at_once_without_sending()
    {
        var lastHeard = new DateTimeOffset(2026, 11, 25, 18, 0, 0, TimeSpan.Zero);
        await _agents.UpsertAsync(new AgentGroupConnectivity("contoso", "dc-1", AgentGroupStatus.Disconnected, lastHeard, lastHeard.AddMinutes(3)), CancellationToken.None);

        var result = await _service.SendAsync(
            new CommandRequest("cmd-9", "contoso", "dc-1", CommandKinds.Ping, JsonDocument.Parse("{}").RootElement, lastHeard.AddHours(1), 30, new CommandCorrelation("contoso.op", "CommandResult:cmd-9"), null),
            CancellationToken.None);

        Assert.Equal((CommandStatus.Failed, CommandErrorKind.Unreachable), (result!.Status, result.Error!.Kind));
        Assert.Contains("zone 'dc-1' are disconnected", result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(_recorder.Sent);
    }

    [Fact]
    public async Task Sending_logs_the_command_then_puts_it_on_the_queue_with_its_deadline()
    {
        var issuedAt = new DateTimeOffset(2026, 11, 25, 19, 0, 0, TimeSpan.Zero);
        var recorded = await _service.SendAsync(
            new CommandRequest("cmd-1", "contoso", "dc-1", CommandKinds.Ping, JsonDocument.Parse("{}").RootElement, issuedAt, 30, new CommandCorrelation("contoso.op", "CommandResult:cmd-1"), null),
            CancellationToken.None);

        Assert.Null(recorded);
        var sent = Assert.Single(_recorder.Sent);
        Assert.Equal(issuedAt.AddSeconds(30), sent.Deadline);
        Assert.Equal("cmd-1", sent.IdempotencyKey);
        Assert.Equal(["log cmd-1", "send cmd-1"], _recorder.Events);
    }

    [Fact]
    public async Task Sending_a_command_whose_result_is_recorded_returns_the_result_instead()
    {
        await _service.AcceptResultAsync(Agent, Result("cmd-9"), (_, _) => Task.CompletedTask, CancellationToken.None);

        var recorded = await _service.SendAsync(
            new CommandRequest("cmd-9", "contoso", "dc-1", CommandKinds.Ping, JsonDocument.Parse("{}").RootElement, DateTimeOffset.UtcNow, 30, new CommandCorrelation("contoso.op", "CommandResult:cmd-9"), null),
            CancellationToken.None);

        Assert.Equal("cmd-9", recorded!.CommandId);
        Assert.Empty(_recorder.Sent);
    }

    [Fact]
    public async Task A_result_is_delivered_once_and_stored_once()
    {
        var result = Result("cmd-1");
        var delivered = 0;
        Task Notify(CommandResult r, CancellationToken ct)
        {
            delivered++;
            return Task.CompletedTask;
        }

        var first = await _service.AcceptResultAsync(Agent, result, Notify, CancellationToken.None);
        var second = await _service.AcceptResultAsync(Agent, result, Notify, CancellationToken.None);

        Assert.Equal(ResultAcceptance.Accepted, first.Value);
        Assert.Equal(ResultAcceptance.Duplicate, second.Value);
        Assert.Equal(1, delivered);
        Assert.Single(_recorder.Results);
    }

    [Fact]
    public async Task A_failed_delivery_stores_nothing_so_the_agents_retry_delivers_it()
    {
        var result = Result("cmd-2");
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _service.AcceptResultAsync(Agent, result, (_, _) => throw new InvalidOperationException("durable backend down"), CancellationToken.None));
        Assert.Empty(_recorder.Results);

        var retried = await _service.AcceptResultAsync(Agent, result, (_, _) => Task.CompletedTask, CancellationToken.None);
        Assert.Equal(ResultAcceptance.Accepted, retried.Value);
    }

    [Fact]
    public async Task A_result_for_another_tenant_or_group_is_not_found()
    {
        var foreign = Result("cmd-3") with { TenantId = "fabrikam" };
        var otherGroup = Result("cmd-4") with { AgentGroup = "dc-2" };

        Assert.Equal(ErrorKind.NotFound, (await _service.AcceptResultAsync(Agent, foreign, (_, _) => Task.CompletedTask, CancellationToken.None)).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await _service.AcceptResultAsync(Agent, otherGroup, (_, _) => Task.CompletedTask, CancellationToken.None)).Error!.Kind);
        Assert.Empty(_recorder.Results);
    }

    [Fact]
    public async Task A_failed_result_without_an_error_is_invalid()
    {
        var broken = Result("cmd-5") with { Status = CommandStatus.Failed };

        var outcome = await _service.AcceptResultAsync(Agent, broken, (_, _) => Task.CompletedTask, CancellationToken.None);

        Assert.Equal("error", Assert.Single(outcome.Error!.Fields).Field);
    }

    private static CommandResult Result(string commandId)
    {
        var at = DateTimeOffset.UtcNow;
        return new CommandResult(SchemaVersions.Current, commandId, "contoso", "dc-1", "agent-1", CommandKinds.Ping, CommandStatus.Succeeded,
            JsonDocument.Parse("{}").RootElement, null, new CommandTimings(at, at, at), new CommandCorrelation("contoso.op", $"CommandResult:{commandId}"), null);
    }
}

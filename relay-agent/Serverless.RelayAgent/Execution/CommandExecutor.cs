using System.Diagnostics;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Telemetry;
using Serverless.RelayAgent.Uplink;

namespace Serverless.RelayAgent.Execution;

/// <summary>
/// Handles one command message while the agent holds its group's session. Order of effects, chosen so that no command
/// runs twice and every command gets an answer, also across a crash at any point:
/// ledger "started" → execute → ledger "result" → post the result until acknowledged → complete the message (and the
/// ledger keeps the result's status alone from its next write). Commands execute one at a time in order; the posting and
/// completing run in the background once the ledger holds the result, so the next command need not wait for the control
/// plane to take this one's answer.
/// </summary>
public sealed class CommandExecutor(
    CommandHandlerRegistry handlers,
    ExecutionJournal journal,
    UplinkClient uplink,
    AgentStatus status,
    IOptions<RelayAgentOptions> options,
    TimeProvider clock,
    ILogger<CommandExecutor> logger)
{
    /// <summary>
    /// Handles the message. The returned settlement (posting the result until acknowledged, then completing the message)
    /// is still in flight: the result is already in the session's ledger, so a crash before it ends only redelivers the
    /// message, and the redelivery posts the recorded result instead of running the command again.
    /// <see cref="HandledMessage.Settled"/> is false when the command was left unfinished because the agent is stopping.
    /// </summary>
    public async Task<HandledMessage> HandleAsync(ServiceBusSessionReceiver receiver, CommandLedger ledger, ServiceBusReceivedMessage message, CancellationToken stopping)
    {
        var receivedAt = clock.GetUtcNow();
        var (command, refusal) = Parse(message);
        if (command is null)
        {
            Logs.CommandRejected(logger, message.MessageId, refusal!);
            return new HandledMessage(true, receiver.DeadLetterMessageAsync(message, "InvalidCommand", refusal, CancellationToken.None));
        }

        using var activity = StartActivity(command, message);
        if (ledger.Find(command.IdempotencyKey) is { ReportedStatus: { } reported })
        {
            Logs.CommandAlreadyReported(logger, command.CommandId, reported.ToString());
            return new HandledMessage(true, receiver.CompleteMessageAsync(message, CancellationToken.None));
        }

        var result = await DecideAsync(receiver, ledger, command, receivedAt, stopping);
        if (result is null)
        {
            return HandledMessage.Unsettled;
        }

        return new HandledMessage(true, PostThenCompleteAsync(receiver, ledger, command, message, result, stopping));
    }

    /// <summary>
    /// Posts before completing: if the agent dies in between, the redelivered message finds the result in the ledger. A
    /// result the control plane refuses as invalid is not retried; keeping the message would only repeat the refusal. A
    /// stop leaves the message for redelivery.
    /// </summary>
    private async Task PostThenCompleteAsync(
        ServiceBusSessionReceiver receiver, CommandLedger ledger, CommandEnvelope command, ServiceBusReceivedMessage message, CommandResult result, CancellationToken stopping)
    {
        using (var report = AgentTelemetry.Source.StartActivity($"report {result.Kind}", ActivityKind.Internal))
        {
            report?.SetTag("command.id", result.CommandId);
            try
            {
                await uplink.PostResultAsync(result, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }

        ledger.MarkReported(command.IdempotencyKey);
        await receiver.CompleteMessageAsync(message, CancellationToken.None);
    }

    private async Task<CommandResult?> DecideAsync(
        ServiceBusSessionReceiver receiver, CommandLedger ledger, CommandEnvelope command, DateTimeOffset receivedAt, CancellationToken stopping)
    {
        if (ledger.Find(command.IdempotencyKey) is { } entry)
        {
            if (entry.Result is not null)
            {
                Logs.CommandReplayed(logger, command.CommandId, entry.Result.Status.ToString());
                return entry.Result;
            }

            Logs.CommandInterrupted(logger, command.CommandId);
            var interrupted = Fail(command, receivedAt, entry.StartedAt, CommandStatus.Failed, new CommandError(CommandErrorKind.Internal,
                "The agent executing this command stopped before it finished; it was not run again and may or may not have taken effect."));
            await RecordAsync(receiver, ledger, command, entry.StartedAt, interrupted);
            return interrupted;
        }

        if (receivedAt >= command.Deadline)
        {
            var expired = Fail(command, receivedAt, receivedAt, CommandStatus.Expired, new CommandError(CommandErrorKind.Expired,
                $"The command reached agent {options.Value.AgentId} at {receivedAt:O}, after its deadline {command.Deadline:O}; it was not run."));
            await RecordAsync(receiver, ledger, command, receivedAt, expired);
            return expired;
        }

        var startedAt = clock.GetUtcNow();
        ledger.MarkStarted(command, startedAt);
        await receiver.SetSessionStateAsync(ledger.ToBinary(startedAt), CancellationToken.None);
        journal.Append(command, startedAt);

        using var grace = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var graceTimer = stopping.Register(() => grace.CancelAfter(TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds)));
        CommandResult result;
        using var execution = AgentTelemetry.Source.StartActivity($"execute {command.Kind}", ActivityKind.Internal);
        execution?.SetTag("command.kind", command.Kind);
        try
        {
            var output = await handlers.ExecuteAsync(command, CancellationToken.None).WaitAsync(grace.Token);
            result = Result(command, receivedAt, startedAt, CommandStatus.Succeeded, output, null);
        }
        catch (OperationCanceledException) when (grace.IsCancellationRequested)
        {
            // The ledger says "started": whoever gets the message next reports it interrupted instead of running it again.
            Logs.CommandAbandoned(logger, command.CommandId);
            return null;
        }
        catch (CommandFailure failure)
        {
            result = Fail(command, receivedAt, startedAt, CommandStatus.Failed, new CommandError(failure.Kind, failure.Message));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            result = Fail(command, receivedAt, startedAt, CommandStatus.Failed, new CommandError(CommandErrorKind.Internal, $"{exception.GetType().Name}: {exception.Message}"));
        }

        if (result.Error is { } error)
        {
            execution?.SetStatus(ActivityStatusCode.Error, error.Message);
            execution?.SetTag("error.type", error.Kind.ToString());
        }

        execution?.SetTag("command.outcome", result.Status.ToString());
        execution?.Stop();
        status.CommandExecuted(result.Timings.CompletedAt);
        AgentTelemetry.CommandExecuted(result);
        Logs.CommandExecuted(logger, command.CommandId, command.Kind, result.Status.ToString(), (result.Timings.CompletedAt - startedAt).TotalMilliseconds, AgentTelemetry.TraceIdOf(command));
        await RecordAsync(receiver, ledger, command, startedAt, result);
        return result;
    }

    private async Task RecordAsync(ServiceBusSessionReceiver receiver, CommandLedger ledger, CommandEnvelope command, DateTimeOffset startedAt, CommandResult result)
    {
        ledger.MarkCompleted(command, startedAt, result);
        await receiver.SetSessionStateAsync(ledger.ToBinary(clock.GetUtcNow()), CancellationToken.None);
    }

    private (CommandEnvelope? Command, string? Refusal) Parse(ServiceBusReceivedMessage message)
    {
        CommandEnvelope? command;
        try
        {
            command = JsonSerializer.Deserialize(message.Body.ToMemory().Span, ContractsJsonContext.Default.CommandEnvelope);
        }
        catch (JsonException exception)
        {
            return (null, $"the body is not a command envelope: {exception.Message}");
        }

        var agent = options.Value;
        return command switch
        {
            null => (null, "the body is null"),
            { SchemaVersion: not SchemaVersions.Current } => (null, $"schema version {command.SchemaVersion} is not {SchemaVersions.Current}"),
            _ when command.TenantId != agent.TenantId => (null, $"it is for tenant '{command.TenantId}', this agent serves '{agent.TenantId}'"),
            _ when command.AgentGroup != agent.AgentGroup => (null, $"it is for agent group '{command.AgentGroup}', this agent is in '{agent.AgentGroup}'"),
            _ when string.IsNullOrEmpty(command.IdempotencyKey) || string.IsNullOrEmpty(command.CommandId) => (null, "it has no command id or idempotency key"),
            _ => (command, null),
        };
    }

    private CommandResult Fail(CommandEnvelope command, DateTimeOffset receivedAt, DateTimeOffset startedAt, CommandStatus commandStatus, CommandError error) =>
        Result(command, receivedAt, startedAt, commandStatus, null, error);

    private CommandResult Result(CommandEnvelope command, DateTimeOffset receivedAt, DateTimeOffset startedAt, CommandStatus commandStatus, JsonElement? output, CommandError? error) =>
        new(SchemaVersions.Current, command.CommandId, command.TenantId, command.AgentGroup, options.Value.AgentId, command.Kind, commandStatus, output, error,
            new CommandTimings(receivedAt, startedAt, clock.GetUtcNow()), command.Correlation, command.Trace);

    /// <summary>The consumer span (messaging conventions), a child of the control plane's send span the command carries.</summary>
    private Activity? StartActivity(CommandEnvelope command, ServiceBusReceivedMessage message)
    {
        ActivityContext.TryParse(command.Trace?.TraceParent, command.Trace?.TraceState, out var parent);
        var activity = AgentTelemetry.Source.StartActivity($"process {options.Value.QueueName}", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "servicebus");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.operation.name", "process");
        activity?.SetTag("messaging.destination.name", options.Value.QueueName);
        activity?.SetTag("messaging.message.id", message.MessageId);
        activity?.SetTag("messaging.message.conversation_id", message.SessionId);
        activity?.SetTag("messaging.servicebus.message.delivery_count", message.DeliveryCount);
        activity?.SetTag("command.kind", command.Kind);
        activity?.SetTag("agent.id", options.Value.AgentId);
        return activity;
    }
}

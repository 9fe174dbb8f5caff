using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Telemetry;

namespace Serverless.Functions.Commands;

/// <summary>
/// Sends commands to the tenant's queue: SessionId = agent group (one agent holds it), MessageId = command id (duplicate
/// detection), time to live = until the deadline, the envelope as JSON. One long-lived client and one sender per queue.
/// </summary>
public sealed class ServiceBusCommandDispatcher(
    IConfiguration configuration,
    IOptions<CommandChannelOptions> options,
    TimeProvider clock,
    ILogger<ServiceBusCommandDispatcher> logger) : ICommandDispatcher, IAsyncDisposable
{
    private readonly Lazy<ServiceBusClient> _client = new(() => ServiceBusConnection.CreateClient(configuration));
    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new(StringComparer.Ordinal);

    public Task SendAsync(CommandEnvelope command, CancellationToken cancellationToken) => SendManyAsync([command], cancellationToken);

    /// <summary>
    /// Each command gets its producer span (messaging conventions; the agent's consumer span continues from it), and a
    /// queue's messages go in as few batches as its size limit allows: one request for a stack tier's fifty commands
    /// instead of fifty. A batch holds one session's messages, as a partitioned queue requires.
    /// </summary>
    public async Task SendManyAsync(IReadOnlyList<CommandEnvelope> commands, CancellationToken cancellationToken)
    {
        var parent = Activity.Current;
        var batchSizes = commands.CountBy(c => (options.Value.QueueNameFor(c.TenantId), c.AgentGroup)).ToDictionary();
        var outgoing = new List<(CommandEnvelope Command, string Queue, Activity? Span, ServiceBusMessage Message)>(commands.Count);
        foreach (var command in commands)
        {
            var queue = options.Value.QueueNameFor(command.TenantId);
            var span = StartSpan(queue, command, batchSizes[(queue, command.AgentGroup)]);
            Activity.Current = parent;
            var traced = command with { Trace = ControlPlaneTelemetry.ContextOf(span ?? parent) ?? command.Trace };
            outgoing.Add((traced, queue, span, MessageOf(traced)));
        }

        var sent = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var session in outgoing.GroupBy(o => (o.Queue, o.Command.AgentGroup)))
            {
                await SendBatchedAsync(_senders.GetOrAdd(session.Key.Queue, name => _client.Value.CreateSender(name)), [.. session.Select(o => o.Message)], cancellationToken);
                foreach (var (command, queue, _, _) in session)
                {
                    sent.Add(command.CommandId);
                    ControlPlaneTelemetry.CommandSent(command.Kind);
                    Logs.CommandSent(logger, command.CommandId, command.Kind, command.TenantId, command.AgentGroup, queue);
                }
            }
        }
        catch (Exception exception)
        {
            foreach (var span in outgoing.Where(o => !sent.Contains(o.Command.CommandId)).Select(o => o.Span).OfType<Activity>())
            {
                span.SetStatus(ActivityStatusCode.Error, exception.Message);
                span.SetTag("error.type", exception.GetType().FullName);
            }

            throw;
        }
        finally
        {
            foreach (var span in outgoing.Select(o => o.Span).OfType<Activity>())
            {
                span.Stop();
            }

            Activity.Current = parent;
        }
    }

    private static async Task SendBatchedAsync(ServiceBusSender sender, IReadOnlyList<ServiceBusMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 1)
        {
            await sender.SendMessageAsync(messages[0], cancellationToken);
            return;
        }

        var batch = await sender.CreateMessageBatchAsync(cancellationToken);
        try
        {
            foreach (var message in messages)
            {
                if (batch.TryAddMessage(message))
                {
                    continue;
                }

                if (batch.Count == 0)
                {
                    // Too large for any batch: the single send reports the queue's own size refusal.
                    await sender.SendMessageAsync(message, cancellationToken);
                    continue;
                }

                await sender.SendMessagesAsync(batch, cancellationToken);
                batch.Dispose();
                batch = await sender.CreateMessageBatchAsync(cancellationToken);
                if (!batch.TryAddMessage(message))
                {
                    await sender.SendMessageAsync(message, cancellationToken);
                }
            }

            if (batch.Count > 0)
            {
                await sender.SendMessagesAsync(batch, cancellationToken);
            }
        }
        finally
        {
            batch.Dispose();
        }
    }

    private static Activity? StartSpan(string queue, CommandEnvelope command, int batchSize)
    {
        var activity = ControlPlaneTelemetry.Source.StartActivity($"send {queue}", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "servicebus");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.operation.name", "send");
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag("messaging.message.id", command.CommandId);
        activity?.SetTag("messaging.message.conversation_id", command.AgentGroup);
        if (batchSize > 1)
        {
            activity?.SetTag("messaging.batch.message_count", batchSize);
        }

        activity?.SetTag("command.kind", command.Kind);
        return activity;
    }

    private ServiceBusMessage MessageOf(CommandEnvelope command)
    {
        var timeToLive = command.Deadline - clock.GetUtcNow();
        var message = new ServiceBusMessage(JsonSerializer.SerializeToUtf8Bytes(command, ContractsJsonContext.Default.CommandEnvelope))
        {
            MessageId = command.CommandId,
            SessionId = command.AgentGroup,
            Subject = command.Kind,
            ContentType = "application/json",
            TimeToLive = timeToLive > TimeSpan.FromSeconds(1) ? timeToLive : TimeSpan.FromSeconds(1),
            ApplicationProperties = { ["schemaVersion"] = command.SchemaVersion },
        };
        if (command.Trace is { } trace)
        {
            message.ApplicationProperties["traceparent"] = trace.TraceParent;
        }

        return message;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync();
        }

        if (_client.IsValueCreated)
        {
            await _client.Value.DisposeAsync();
        }
    }
}

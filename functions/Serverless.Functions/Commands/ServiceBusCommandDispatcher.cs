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

    public async Task SendAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var queue = options.Value.QueueNameFor(command.TenantId);

        // The send is the trace's producer span (messaging conventions); the agent's consumer span continues from it.
        using var activity = ControlPlaneTelemetry.Source.StartActivity($"send {queue}", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "servicebus");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.operation.name", "send");
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag("messaging.message.id", command.CommandId);
        activity?.SetTag("messaging.message.conversation_id", command.AgentGroup);
        activity?.SetTag("command.kind", command.Kind);
        command = command with { Trace = ControlPlaneTelemetry.ContextOf(activity ?? Activity.Current) ?? command.Trace };
        var sender = _senders.GetOrAdd(queue, name => _client.Value.CreateSender(name));
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

        try
        {
            await sender.SendMessageAsync(message, cancellationToken);
        }
        catch (Exception exception) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity.SetTag("error.type", exception.GetType().FullName);
            throw;
        }

        ControlPlaneTelemetry.CommandSent(command.Kind);
        Logs.CommandSent(logger, command.CommandId, command.Kind, command.TenantId, command.AgentGroup, queue);
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

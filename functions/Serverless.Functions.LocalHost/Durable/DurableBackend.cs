using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Serverless.Functions.LocalHost.Discovery;
using Serverless.Functions.LocalHost.Invocation;

namespace Serverless.Functions.LocalHost.Durable;

/// <summary>
/// Runs the app's orchestrator and activity functions on a DTFx <see cref="TaskHubWorker"/> over the Azure Storage
/// backend (Azurite locally), so orchestrations, timers and event waits survive a kill of the host.
/// </summary>
internal sealed class DurableBackend : IHostedService
{
    private readonly IReadOnlyList<FunctionDescriptor> _functions;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<DurableBackend> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private TaskHubWorker? _worker;

    public DurableBackend(DurableBackendSettings settings, IReadOnlyList<FunctionDescriptor> functions, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        Settings = settings;
        _functions = functions;
        _services = services;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<DurableBackend>();
        Service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = settings.HubName,
            StorageAccountClientProvider = new StorageAccountClientProvider(settings.StorageConnectionString),
            PartitionCount = settings.PartitionCount,
            MaxQueuePollingInterval = settings.MaxQueuePollingInterval,
            WorkerId = settings.WorkerId,
            // DTFx renews the visibility of messages it is working on, so a timeout above its 5 s renewal only shortens
            // how long a message taken by a killed host stays invisible.
            ControlQueueVisibilityTimeout = settings.OrchestrationVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = settings.ActivityVisibilityTimeout,
            LoggerFactory = loggerFactory,

            // As host.json's extendedSessionsEnabled does in Azure: an orchestration with more work soon stays in memory
            // instead of loading and replaying its history for every episode.
            ExtendedSessionsEnabled = settings.ExtendedSessionsEnabled,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(settings.ExtendedSessionIdleTimeoutSeconds),
        });
        Client = new LocalDurableTaskClient(Service, Converter);
    }

    /// <summary>The app's durable payload JSON, so payloads read and write the same under both hosts.</summary>
    public static DataConverter Converter { get; } = new JsonDataConverter(AppServiceCollectionExtensions.DurablePayloadJsonOptions);

    public DurableBackendSettings Settings { get; }

    public AzureStorageOrchestrationService Service { get; }

    public LocalDurableTaskClient Client { get; }

    /// <summary>Creates the task hub's queues, tables and containers if missing; call before serving requests.</summary>
    public Task EnsureTaskHubAsync() => Service.CreateIfNotExistsAsync();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = Converter }, _loggerFactory);
        var scopes = _services.GetRequiredService<IServiceScopeFactory>();
        var invocations = _services.GetRequiredService<InvocationLog>();
        var faults = _services.GetRequiredService<FaultInjection>();
        _worker = new TaskHubWorker(Service, _loggerFactory) { ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails };
        if (faults.OnOrchestrations)
        {
            _worker.AddOrchestrationDispatcherMiddleware(faults.OrchestrationEpisodeAsync);
        }

        foreach (var function in _functions)
        {
            switch (function.Trigger)
            {
                case TriggerKind.Orchestration:
                    _worker.AddTaskOrchestrations(new ShimObjectCreator<TaskOrchestration>(
                        function.Name, () => shims.CreateOrchestration(function.Name, new ReflectedOrchestrator(function, _services, Converter))));
                    break;
                case TriggerKind.Activity:
                    _worker.AddTaskActivities(new ShimObjectCreator<TaskActivity>(
                        function.Name, () => shims.CreateActivity(function.Name, new ReflectedActivity(function, scopes, invocations, faults, _stopping.Token))));
                    break;
            }
        }

        await _worker.StartAsync();
        Logs.DurableWorkerStarted(_logger, Settings.HubName, Settings.MaxQueuePollingInterval.TotalMilliseconds);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_worker is not null)
        {
            // Not forced: in-flight work items finish or are abandoned back to the queues for the next start.
            try
            {
                await _worker.StopAsync(isForced: false).WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Storage went away first or work items hang: stop anyway; their leases expire and they run after restart.
                Logs.DurableWorkerStopTimedOut(_logger, Settings.HubName);
            }
        }
    }
}

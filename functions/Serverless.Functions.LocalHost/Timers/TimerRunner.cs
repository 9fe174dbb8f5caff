using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Serverless.Functions.LocalHost.Discovery;
using Serverless.Functions.LocalHost.Invocation;

namespace Serverless.Functions.LocalHost.Timers;

/// <summary>Runs timer functions, one run at a time per function, whether the schedule or the admin API asks.</summary>
internal sealed class TimerRunner(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, InvocationLog invocations, ILogger<TimerRunner> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _background = new();

    public async Task RunAsync(FunctionDescriptor function, bool isPastDue, ScheduleStatus? status, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(function.Name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();

        // A tick is the root of the traces of what it does (a pool's commands), as a timer invocation is in Azure.
        using var activity = LocalHostTelemetry.Source.StartActivity($"timer {function.Name}", ActivityKind.Internal);
        activity?.SetTag("faas.trigger", "timer");
        activity?.SetTag("faas.name", function.Name);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var timerInfo = new TimerInfo { IsPastDue = isPastDue, ScheduleStatus = status };
            await FunctionInvoker.InvokeAsync(function, timerInfo, scope.ServiceProvider, new Dictionary<string, object?>(), cancellationToken);
            invocations.Completed(function, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A failing run is logged like the Functions host does; the schedule goes on.
            Logs.TimerFailed(logger, ex, function.Name);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            invocations.Failed(function, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Starts a run without waiting for it (the admin API answers 202 at once).</summary>
    public void RunInBackground(FunctionDescriptor function, bool isPastDue)
    {
        var run = RunAsync(function, isPastDue, null, lifetime.ApplicationStopping);
        _background.TryAdd(run, 0);
        run.ContinueWith(t => _background.TryRemove(t, out _), TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_background.Keys);
        foreach (var gate in _gates.Values)
        {
            gate.Dispose();
        }
    }
}

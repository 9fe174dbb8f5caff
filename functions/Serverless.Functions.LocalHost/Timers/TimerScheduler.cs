using Microsoft.Azure.Functions.Worker;
using Serverless.Functions.LocalHost.Discovery;

namespace Serverless.Functions.LocalHost.Timers;

/// <summary>Fires every timer function on its schedule, with RunOnStartup and catch-up of runs missed while the host was down.</summary>
internal sealed class TimerScheduler(
    IReadOnlyList<(FunctionDescriptor Function, TimerSchedule Schedule)> timers,
    TimerRunner runner,
    TimerStatusStore statusStore,
    TimeProvider clock,
    ILogger<TimerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(timers.Select(t => RunScheduleAsync(t.Function, t.Schedule, stoppingToken)));

    private async Task RunScheduleAsync(FunctionDescriptor function, TimerSchedule schedule, CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var monitored = function.UseMonitor && !schedule.IsFrequent(now);
        var status = monitored ? await ReadStatusAsync(function, stoppingToken) : null;
        var missed = status is not null && status.Next <= now;
        if (missed || function.RunOnStartup)
        {
            status = await RunAndRecordAsync(function, schedule, monitored, isPastDue: missed, status, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.GetNextOccurrence(clock.GetUtcNow().UtcDateTime);
            // After a run the recorded status already names this occurrence; write only when it does not.
            if (monitored && status?.Next != next)
            {
                await WriteStatusAsync(function, new ScheduleStatus { Last = status?.Last ?? default, Next = next, LastUpdated = clock.GetUtcNow().UtcDateTime }, stoppingToken);
            }

            var delay = next - clock.GetUtcNow().UtcDateTime;
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            status = await RunAndRecordAsync(function, schedule, monitored, isPastDue: false, status, stoppingToken);
        }
    }

    private async Task<ScheduleStatus?> RunAndRecordAsync(
        FunctionDescriptor function, TimerSchedule schedule, bool monitored, bool isPastDue, ScheduleStatus? status, CancellationToken stoppingToken)
    {
        await runner.RunAsync(function, isPastDue, status, stoppingToken);
        if (!monitored)
        {
            return status;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var updated = new ScheduleStatus { Last = now, Next = schedule.GetNextOccurrence(now), LastUpdated = now };
        await WriteStatusAsync(function, updated, stoppingToken);
        return updated;
    }

    private async Task<ScheduleStatus?> ReadStatusAsync(FunctionDescriptor function, CancellationToken stoppingToken)
    {
        try
        {
            return await statusStore.ReadAsync(function.Name, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logs.TimerStatusUnavailable(logger, ex, function.Name);
            return null;
        }
    }

    private async Task WriteStatusAsync(FunctionDescriptor function, ScheduleStatus status, CancellationToken stoppingToken)
    {
        try
        {
            await statusStore.WriteAsync(function.Name, status, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logs.TimerStatusUnavailable(logger, ex, function.Name);
        }
    }
}

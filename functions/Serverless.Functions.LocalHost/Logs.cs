namespace Serverless.Functions.LocalHost;

/// <summary>Log definitions of the local host; EventIds 3000-3999.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "HTTP      {FunctionName}: {Methods} {Route} [{AuthLevel}]")]
    public static partial void HttpFunctionMapped(ILogger logger, string functionName, string methods, string route, string authLevel);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Timer     {FunctionName}: '{Schedule}', next run {NextRun:o}{Extras}")]
    public static partial void TimerFunctionScheduled(ILogger logger, string functionName, string schedule, DateTime nextRun, string extras);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "{Kind} {FunctionName}")]
    public static partial void DurableFunctionRegistered(ILogger logger, string kind, string functionName);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Local Functions host listening on {Url} with {FunctionCount} functions (process {ProcessId})")]
    public static partial void HostListening(ILogger logger, string url, int functionCount, int processId);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Durable worker started on task hub '{HubName}' (queue polling at most every {PollingMs} ms)")]
    public static partial void DurableWorkerStarted(ILogger logger, string hubName, double pollingMs);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Fault injection is on ({Settings}): this host kills itself on purpose")]
    public static partial void FaultInjectionOn(ILogger logger, string settings);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Function {FunctionName} failed (invocation {InvocationId})")]
    public static partial void FunctionFailed(ILogger logger, Exception exception, string functionName, string invocationId);

    [LoggerMessage(EventId = 3011, Message = "Executed '{FunctionName}' ({Method} {Path} → {Status}, {DurationMs:0} ms)")]
    public static partial void HttpFunctionExecuted(ILogger logger, LogLevel level, string functionName, string method, string path, int status, double durationMs);

    [LoggerMessage(EventId = 3012, Message = "Executed '{FunctionName}' ({Outcome}, {DurationMs:0} ms)")]
    public static partial void FunctionExecuted(ILogger logger, LogLevel level, string functionName, string outcome, double durationMs);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Error, Message = "Timer {FunctionName} failed")]
    public static partial void TimerFailed(ILogger logger, Exception exception, string functionName);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Warning, Message = "Schedule status of timer {FunctionName} could not be read or written; missed runs may not be caught up")]
    public static partial void TimerStatusUnavailable(ILogger logger, Exception exception, string functionName);

    [LoggerMessage(EventId = 3030, Level = LogLevel.Critical, Message = "The local host cannot start: {Reason}")]
    public static partial void StartupFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Warning, Message = "The durable worker of hub {HubName} did not stop within the shutdown timeout; unfinished work items run again after the next start")]
    public static partial void DurableWorkerStopTimedOut(ILogger logger, string hubName);
}

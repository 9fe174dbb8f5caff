using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Serverless.Functions.LocalHost.Discovery;

namespace Serverless.Functions.LocalHost.Invocation;

/// <summary>
/// One line per function invocation, as Core Tools prints: name, outcome (the HTTP status, or succeeded/failed) and
/// duration, in the category <c>Function.{name}</c>. The agents' frequent uplink calls (heartbeats, metrics) that
/// succeed are Debug, so they do not drown the rest unless <see cref="LocalHostOptions.Verbose"/> is on.
/// </summary>
internal sealed class InvocationLog(ILoggerFactory loggers, IOptions<LocalHostOptions> options)
{
    private static readonly HashSet<string> Frequent = new(StringComparer.Ordinal) { FunctionNames.PostAgentHeartbeat, FunctionNames.PostAgentMetrics };

    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public void Http(FunctionDescriptor function, HttpContext context, TimeSpan duration)
    {
        var status = context.Response.StatusCode;
        var level = status >= 500 ? LogLevel.Error : Level(function, status < 400);
        Logs.HttpFunctionExecuted(Logger(function), level, function.Name, context.Request.Method, context.Request.Path, status, duration.TotalMilliseconds);
    }

    public void Completed(FunctionDescriptor function, TimeSpan duration) =>
        Logs.FunctionExecuted(Logger(function), Level(function, true), function.Name, "succeeded", duration.TotalMilliseconds);

    public void Failed(FunctionDescriptor function, TimeSpan duration) =>
        Logs.FunctionExecuted(Logger(function), LogLevel.Warning, function.Name, "failed", duration.TotalMilliseconds);

    private LogLevel Level(FunctionDescriptor function, bool succeeded) =>
        succeeded && Frequent.Contains(function.Name) && !options.Value.Verbose ? LogLevel.Debug : LogLevel.Information;

    private ILogger Logger(FunctionDescriptor function) => _loggers.GetOrAdd(function.Name, name => loggers.CreateLogger($"Function.{name}"));
}

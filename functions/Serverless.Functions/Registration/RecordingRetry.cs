using Microsoft.DurableTask;

namespace Serverless.Functions.Registration;

/// <summary>
/// The retry policy of the resource workflows' recording activities: storage hiccups are retried with backoff for about
/// a minute before the workflow sees a failure.
/// </summary>
public static class RecordingRetry
{
    public static TaskOptions Options { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5,
        firstRetryInterval: TimeSpan.FromSeconds(1),
        backoffCoefficient: 2.0,
        maxRetryInterval: TimeSpan.FromSeconds(30)));
}

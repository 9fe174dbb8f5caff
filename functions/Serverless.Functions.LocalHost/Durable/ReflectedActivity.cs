using System.Diagnostics;
using Microsoft.DurableTask;
using Serverless.Functions.LocalHost.Discovery;
using Serverless.Functions.LocalHost.Invocation;

namespace Serverless.Functions.LocalHost.Durable;

/// <summary>An <c>[ActivityTrigger]</c> function as a Durable Task activity, run in its own DI scope.</summary>
internal sealed class ReflectedActivity(FunctionDescriptor function, IServiceScopeFactory scopes, InvocationLog invocations, FaultInjection faults, CancellationToken stopping) : ITaskActivity
{
    public Type InputType => function.TriggerParameter.ParameterType;

    public Type OutputType => typeof(object);

    public async Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        faults.BeforeActivity(function.Name);
        await faults.DelayAsync(function.Name, stopping);
        await using var scope = scopes.CreateAsyncScope();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var output = await FunctionInvoker.InvokeAsync(
                function,
                input,
                scope.ServiceProvider,
                new Dictionary<string, object?> { ["instanceId"] = context.InstanceId },
                stopping);
            invocations.Completed(function, Stopwatch.GetElapsedTime(started));
            faults.AfterActivity(function.Name);
            return output;
        }
        catch
        {
            // The durable worker records the failure and retries as the orchestration says; the line says it happened.
            invocations.Failed(function, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }
}

using Microsoft.DurableTask;
using Serverless.Functions.LocalHost.Discovery;
using Serverless.Functions.LocalHost.Invocation;

namespace Serverless.Functions.LocalHost.Durable;

/// <summary>An <c>[OrchestrationTrigger]</c> function as a Durable Task orchestrator.</summary>
internal sealed class ReflectedOrchestrator(FunctionDescriptor function, IServiceProvider services, DataConverter converter) : ITaskOrchestrator
{
    public Type InputType => typeof(object);

    public Type OutputType => typeof(object);

    public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) =>
        FunctionInvoker.InvokeAsync(
            function,
            new InputFixingOrchestrationContext(context, input, converter),
            services,
            new Dictionary<string, object?> { ["instanceId"] = context.InstanceId },
            CancellationToken.None);
}

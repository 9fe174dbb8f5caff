using System.ComponentModel;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.Functions.LocalHost.Discovery;

namespace Serverless.Functions.LocalHost.Invocation;

/// <summary>
/// Calls one function method the way the worker does: a fresh instance of the function class per invocation from
/// the scope's services, parameters bound from the trigger value, binding data, context and DI.
/// </summary>
internal static class FunctionInvoker
{
    public static async Task<object?> InvokeAsync(
        FunctionDescriptor function,
        object? triggerValue,
        IServiceProvider services,
        IReadOnlyDictionary<string, object?> bindingData,
        CancellationToken cancellationToken,
        Action<LocalFunctionContext>? configureContext = null)
    {
        var context = new LocalFunctionContext(function, services, bindingData, cancellationToken);
        configureContext?.Invoke(context);
        var instance = function.Method.IsStatic
            ? null
            : ActivatorUtilities.CreateInstance(services, function.Method.DeclaringType!);
        try
        {
            var arguments = function.Method.GetParameters()
                .Select(p => Bind(p, function, triggerValue, context, services, bindingData, cancellationToken))
                .ToArray();
            object? returned;
            try
            {
                returned = function.Method.Invoke(instance, arguments);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }

            return await UnwrapAsync(returned, function.Method.ReturnType);
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    private static object? Bind(
        ParameterInfo parameter,
        FunctionDescriptor function,
        object? triggerValue,
        FunctionContext context,
        IServiceProvider services,
        IReadOnlyDictionary<string, object?> bindingData,
        CancellationToken cancellationToken)
    {
        if (parameter.Position == function.TriggerParameter.Position)
        {
            return triggerValue;
        }

        if (parameter.ParameterType == typeof(FunctionContext))
        {
            return context;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return cancellationToken;
        }

        if (parameter.ParameterType == typeof(DurableTaskClient))
        {
            return services.GetRequiredService<DurableTaskClient>();
        }

        var value = bindingData.FirstOrDefault(pair => string.Equals(pair.Key, parameter.Name, StringComparison.OrdinalIgnoreCase)).Value;
        return value is string text && parameter.ParameterType != typeof(string)
            ? TypeDescriptor.GetConverter(parameter.ParameterType).ConvertFromInvariantString(text)
            : value;
    }

    private static async Task<object?> UnwrapAsync(object? returned, Type declaredType)
    {
        switch (returned)
        {
            case Task task:
                await task;
                return declaredType.IsGenericType ? declaredType.GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            case not null when declaredType.IsGenericType && declaredType.GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)declaredType.GetMethod(nameof(ValueTask<object>.AsTask))!.Invoke(returned, null)!;
                return await UnwrapAsync(asTask, asTask.GetType().IsGenericType ? typeof(Task<>).MakeGenericType(declaredType.GetGenericArguments()) : typeof(Task));
            default:
                return returned;
        }
    }
}

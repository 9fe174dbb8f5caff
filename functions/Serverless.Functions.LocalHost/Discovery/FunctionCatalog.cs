using System.Reflection;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Serverless.Functions.LocalHost.Discovery;

/// <summary>
/// Finds functions the way the Functions SDK's metadata generator does: public methods carrying <see cref="FunctionAttribute"/>,
/// classified by their trigger attribute. Anything the local host cannot serve is refused here, at start, by name.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionDescriptor> Discover(IEnumerable<Type> types)
    {
        var functions = new List<FunctionDescriptor>();
        foreach (var type in types.Where(t => t.IsClass && t.IsVisible))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is { } function)
                {
                    functions.Add(Describe(function.Name, method));
                }
            }
        }

        var duplicate = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new UnsupportedFunctionException($"Function name '{duplicate.Key}' is used by {string.Join(" and ", duplicate.Select(f => f.EntryPoint))}.");
        }

        return functions.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    private static FunctionDescriptor Describe(string name, MethodInfo method)
    {
        var where = $"Function '{name}' ({method.DeclaringType!.FullName}.{method.Name})";
        if (method.ReturnParameter.GetCustomAttributes().OfType<OutputBindingAttribute>().Any()
            || method.ReturnType.GetProperties().Any(p => p.GetCustomAttributes().OfType<OutputBindingAttribute>().Any()))
        {
            throw new UnsupportedFunctionException($"{where} uses an output binding; the local host serves none.");
        }

        FunctionDescriptor? descriptor = null;
        foreach (var parameter in method.GetParameters())
        {
            var binding = parameter.GetCustomAttributes().OfType<BindingAttribute>().SingleOrDefault();
            switch (binding)
            {
                case HttpTriggerAttribute http:
                    descriptor = Single(descriptor, where, new FunctionDescriptor(
                        name, method, TriggerKind.Http, parameter, http.Route ?? name,
                        http.Methods?.Select(m => m.ToUpperInvariant()).ToList(), http.AuthLevel.ToString(), null, false, false));
                    break;
                case TimerTriggerAttribute timer:
                    descriptor = Single(descriptor, where, new FunctionDescriptor(
                        name, method, TriggerKind.Timer, parameter, null, null, null, timer.Schedule, timer.RunOnStartup, timer.UseMonitor));
                    break;
                case OrchestrationTriggerAttribute:
                    descriptor = Single(descriptor, where, new FunctionDescriptor(
                        name, method, TriggerKind.Orchestration, parameter, null, null, null, null, false, false));
                    break;
                case ActivityTriggerAttribute:
                    descriptor = Single(descriptor, where, new FunctionDescriptor(
                        name, method, TriggerKind.Activity, parameter, null, null, null, null, false, false));
                    break;
                case DurableClientAttribute when parameter.ParameterType == typeof(DurableTaskClient):
                case null:
                    break;
                default:
                    throw new UnsupportedFunctionException(
                        $"{where}: parameter '{parameter.Name}' has binding {binding.GetType().Name}, which the local host does not serve.");
            }
        }

        descriptor = descriptor ?? throw new UnsupportedFunctionException($"{where} has no trigger the local host knows.");
        CheckParameters(descriptor, where);
        return descriptor;
    }

    private static FunctionDescriptor Single(FunctionDescriptor? existing, string where, FunctionDescriptor found) =>
        existing is null ? found : throw new UnsupportedFunctionException($"{where} has more than one trigger.");

    /// <summary>Every parameter must be one the invoker can supply, so a mistake fails at start, not on first call.</summary>
    private static void CheckParameters(FunctionDescriptor function, string where)
    {
        var expected = function.Trigger switch
        {
            TriggerKind.Http => typeof(HttpRequest),
            TriggerKind.Timer => typeof(TimerInfo),
            TriggerKind.Orchestration => typeof(TaskOrchestrationContext),
            _ => null,
        };
        if (expected is not null && function.TriggerParameter.ParameterType != expected)
        {
            throw new UnsupportedFunctionException(
                $"{where}: the trigger parameter must be {expected.Name}; {function.TriggerParameter.ParameterType.Name} is not served.");
        }

        var routeParameters = function.Route is null ? [] : RouteParameterNames(function.Route, where);
        foreach (var parameter in function.Method.GetParameters())
        {
            var supplied = parameter == function.TriggerParameter
                || parameter.ParameterType == typeof(FunctionContext)
                || parameter.ParameterType == typeof(CancellationToken)
                || parameter.GetCustomAttribute<DurableClientAttribute>() is not null
                || (function.Trigger == TriggerKind.Http && routeParameters.Contains(parameter.Name!));
            if (!supplied)
            {
                throw new UnsupportedFunctionException($"{where}: the local host cannot supply parameter '{parameter.Name}' ({parameter.ParameterType.Name}).");
            }
        }
    }

    /// <summary>Parameter names of the route, parsed by ASP.NET Core's own route parser (the one that will serve it).</summary>
    private static HashSet<string> RouteParameterNames(string route, string where)
    {
        try
        {
            return RoutePatternFactory.Parse(route).Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
        catch (RoutePatternException ex)
        {
            throw new UnsupportedFunctionException($"{where}: route '{route}' is not a valid route template: {ex.Message}");
        }
    }
}

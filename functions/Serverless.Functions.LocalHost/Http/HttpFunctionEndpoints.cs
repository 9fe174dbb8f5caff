using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Serverless.Functions.LocalHost.Discovery;
using Serverless.Functions.LocalHost.Invocation;

namespace Serverless.Functions.LocalHost.Http;

/// <summary>Maps each HTTP-triggered function to a Kestrel endpoint with its route, methods and authorization level.</summary>
internal static class HttpFunctionEndpoints
{
    public static string RoutePattern(string routePrefix, string route) =>
        "/" + string.Join('/', new[] { routePrefix, route.Trim('/') }.Where(s => s.Length > 0));

    public static void Map(WebApplication app, IEnumerable<FunctionDescriptor> functions, string routePrefix)
    {
        foreach (var function in functions.Where(f => f.Trigger == TriggerKind.Http))
        {
            var pattern = RoutePattern(routePrefix, function.Route!);
            Task Handler(HttpContext context) => HandleAsync(context, function);
            var endpoint = function.HttpMethods is null ? app.Map(pattern, Handler) : app.MapMethods(pattern, function.HttpMethods, Handler);
            endpoint.WithDisplayName(function.Name);
        }
    }

    private static async Task HandleAsync(HttpContext context, FunctionDescriptor function)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await InvokeAsync(context, function);
        }
        finally
        {
            context.RequestServices.GetRequiredService<InvocationLog>().Http(function, context, Stopwatch.GetElapsedTime(started));
        }
    }

    private static async Task InvokeAsync(HttpContext context, FunctionDescriptor function)
    {
        if (!context.RequestServices.GetRequiredService<KeyAuthorizer>().IsAuthorized(context.Request, function.AuthLevel!))
        {
            await HostProblems.Unauthorized().ExecuteAsync(context);
            return;
        }

        var bindingData = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Query)
        {
            bindingData[name] = values.FirstOrDefault();
        }

        foreach (var (name, value) in context.Request.RouteValues)
        {
            bindingData[name] = value;
        }

        var invocationId = string.Empty;
        object? result;
        try
        {
            result = await FunctionInvoker.InvokeAsync(
                function, context.Request, context.RequestServices, bindingData, context.RequestAborted, functionContext =>
                {
                    functionContext.Items[LocalFunctionContext.HttpContextItemKey] = context;
                    invocationId = functionContext.InvocationId;
                });
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            Logs.FunctionFailed(context.RequestServices.GetRequiredService<ILogger<LocalFunctionContext>>(), ex, function.Name, invocationId);
            await HostProblems.Failed(invocationId).ExecuteAsync(context);
            return;
        }

        await WriteAsync(context, result);
    }

    private static Task WriteAsync(HttpContext context, object? result) => result switch
    {
        IResult typed => typed.ExecuteAsync(context),
        IActionResult action => action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())),
        null => Results.NoContent().ExecuteAsync(context),
        string text => Results.Text(text).ExecuteAsync(context),
        _ => Results.Json(result).ExecuteAsync(context),
    };
}

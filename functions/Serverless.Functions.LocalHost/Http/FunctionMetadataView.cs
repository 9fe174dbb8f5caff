using Serverless.Functions.LocalHost.Discovery;

namespace Serverless.Functions.LocalHost.Http;

/// <summary>
/// A served function in the shape of an entry of the SDK's <c>functions.metadata</c> (name, entry point, trigger binding),
/// plus what the local host made of it (<c>servedAt</c>: the full route or resolved schedule).
/// </summary>
internal sealed record FunctionMetadataView(string Name, string EntryPoint, TriggerBindingView Trigger, string? ServedAt)
{
    public static FunctionMetadataView From(FunctionDescriptor function, string routePrefix) => new(
        function.Name,
        function.EntryPoint,
        new TriggerBindingView(
            TypeName(function.Trigger),
            function.TriggerParameter.Name!,
            function.AuthLevel,
            function.HttpMethods?.Select(m => m.ToLowerInvariant()).ToList(),
            function.Trigger == TriggerKind.Http ? function.Route : null,
            function.Schedule),
        function.Trigger == TriggerKind.Http ? HttpFunctionEndpoints.RoutePattern(routePrefix, function.Route!) : null);

    /// <summary>The binding type names the SDK writes into functions.metadata.</summary>
    public static string TypeName(TriggerKind trigger) => trigger switch
    {
        TriggerKind.Http => "httpTrigger",
        TriggerKind.Timer => "timerTrigger",
        TriggerKind.Orchestration => "orchestrationTrigger",
        TriggerKind.Activity => "activityTrigger",
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, null),
    };
}

using Serverless.Functions.LocalHost.Discovery;
using Serverless.Functions.LocalHost.Timers;

namespace Serverless.Functions.LocalHost.Http;

/// <summary>
/// The Functions host's admin API, as far as tests and operators need it: host status, the function list, and
/// <c>POST /admin/functions/{name}</c> to run a non-HTTP function now. All need the master key.
/// </summary>
internal static class AdminEndpoints
{
    public static void Map(WebApplication app, IReadOnlyList<FunctionDescriptor> functions, string routePrefix)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<KeyAuthorizer>().IsAuthorized(context.HttpContext.Request, "Admin")
                ? await next(context)
                : HostProblems.Unauthorized());

        admin.MapGet("/host/status", () => TypedResults.Ok(new HostStatus("Running", HostVersion, Environment.ProcessId)));

        admin.MapGet("/functions", () => TypedResults.Ok(functions.Select(f => FunctionMetadataView.From(f, routePrefix))));

        admin.MapPost("/functions/{name}", (string name, TimerRunner timers) =>
        {
            var function = functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (function is null)
            {
                return HostProblems.NotFound($"/admin/functions/{name}");
            }

            if (function.Trigger != TriggerKind.Timer)
            {
                return TypedResults.Problem(
                    $"'{function.Name}' is a {function.Trigger.ToString().ToLowerInvariant()} function; only timer functions run on demand here.",
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Not an on-demand function.");
            }

            timers.RunInBackground(function, isPastDue: false);
            return Results.Accepted();
        });
    }

    private static string HostVersion => typeof(AdminEndpoints).Assembly.GetName().Version?.ToString() ?? "unknown";
}
